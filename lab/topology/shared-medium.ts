import type { LabEngine } from '../engine/lab-engine.ts';
import { TopologyError } from './topology-errors.ts';
import type { LabNetwork } from './lab-networks.ts';

/**
 * Makes a lab network a shared medium: its bridge stops learning which port a MAC address
 * is behind, so it floods every frame to every port, as a hub or a radio cell does, and a
 * host there can capture the others' unicast traffic. On a switched LAN an attacker first
 * has to get there (MAC flooding, ARP spoofing, a mirror port); the lab does not play that
 * part, it starts from its result.
 *
 * The bridge lives in the engine's host, not in any container: a short-lived container on
 * the host's network namespace changes it, so the same works on a remote engine.
 */
export async function makeSharedMedium(
  engine: LabEngine,
  net: LabNetwork,
  image: string,
  labels: Record<string, string>,
): Promise<void> {
  const info = (await net.network.inspect()) as { Id: string; Options?: Record<string, string> };
  const bridge = info.Options?.['com.docker.network.bridge.name'] ?? `br-${info.Id.slice(0, 12)}`;
  const script = [
    `test -d /sys/class/net/${bridge}/brif || { echo "no bridge ${bridge}" >&2; exit 1; }`,
    `for p in /sys/class/net/${bridge}/brif/*; do bridge link set dev "$(basename "$p")" learning off || exit 1; done`,
    // What it had learnt already would still steer frames to one port each.
    `ip link set dev ${bridge} type bridge fdb_flush`,
  ].join('\n');
  const container = await engine.docker.createContainer({
    Image: image,
    Cmd: ['sh', '-c', script],
    Labels: labels,
    HostConfig: { NetworkMode: 'host', CapAdd: ['NET_ADMIN'] },
  });
  try {
    const out: Buffer[] = [];
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    stream.on('data', (b: Buffer) => out.push(b));
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0)
      throw new TopologyError(
        `could not make ${net.name} a shared medium (bridge ${bridge}): ${Buffer.concat(out)
          .toString('utf8')
          .replace(/[^\x20-\x7e\n]/g, '')
          .trim()}`,
      );
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
