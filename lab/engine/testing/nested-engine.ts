import type Docker from 'dockerode';
import { packContext } from '../app-image.ts';
import { endpointFromUrl } from '../engine-endpoint.ts';
import { followToEnd } from '../follow-progress.ts';
import { LabEngine } from '../lab-engine.ts';
import { LabError } from '../../errors/lab-error.ts';
import { ownerLabels, RUN_LABEL, TOPOLOGY_LABEL } from '../labels.ts';

export const ENGINE_IMAGE_REPO = 'udp-chat-lab-engine';

export class NestedEngineError extends LabError {
  constructor(message: string) {
    super('LAB_ERR_NESTED_ENGINE', message);
  }
}

// A container's cgroups are mounted read-only unless it is privileged, and `--privileged` is not
// available everywhere (it asks for every capability: this machine's engine lacks
// CAP_SYS_RESOURCE and refuses). With its own cgroup namespace, every capability the engine has,
// and no seccomp or AppArmor filter, the container mounts its cgroup hierarchies read-write itself.
const ENTRYPOINT = `
mount -o remount,rw /sys 2>/dev/null || true
for d in /sys/fs/cgroup/*/; do
  c=$(basename "$d")
  umount "$d" 2>/dev/null || true
  case "$c" in
    systemd) mount -t cgroup -o none,name=systemd cgroup "$d" ;;
    unified) mount -t cgroup2 cgroup2 "$d" 2>/dev/null || true ;;
    *) mount -t cgroup -o "$c" cgroup "$d" 2>/dev/null || true ;;
  esac
done
exec dockerd --host=tcp://0.0.0.0:2375 --tls=false --bip=10.230.0.1/24
`;

/**
 * A second Docker engine that sees nothing of this machine's files: Debian's dockerd, running in
 * a container made from the lab image, answering on a TCP port on loopback. What the
 * lab runs there has to come in through the Docker API, as on a remote engine. `await using` (or
 * stop()) removes the container and its storage.
 */
export class NestedEngine {
  private constructor(
    private readonly host: LabEngine,
    readonly container: Docker.Container,
    /** The nested engine, taking the lab image from `host` through the API. */
    readonly engine: LabEngine,
  ) {}

  static async start(host: LabEngine, timeoutMs = 90_000): Promise<NestedEngine> {
    const image = await engineImage(host);
    const id = `ucl-nested-engine-${process.pid}-${Date.now().toString(36)}`;
    const container = await host.docker.createContainer({
      name: id,
      Image: image,
      // No TLS on a port published on loopback only: nothing outside this machine reaches it.
      Cmd: ['sh', '-c', ENTRYPOINT],
      Labels: { [RUN_LABEL]: id, [TOPOLOGY_LABEL]: id, ...ownerLabels() },
      ExposedPorts: { '2375/tcp': {} },
      HostConfig: {
        CgroupnsMode: 'private',
        CapAdd: ['ALL'],
        CapDrop: ['SYS_RESOURCE'],
        SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
        // What `--security-opt systempaths=unconfined` means on the CLI: /proc and /sys unmasked.
        MaskedPaths: [],
        ReadonlyPaths: [],
        DeviceCgroupRules: ['a *:* rwm'],
        // Its own storage (an anonymous volume, removed with it): overlayfs does not stack on the container's own.
        Mounts: [{ Type: 'volume', Source: '', Target: '/var/lib/docker' }],
        PortBindings: { '2375/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
        // Not in @types/dockerode yet; Docker API 1.41.
      } as Docker.HostConfig & { CgroupnsMode: string },
    });
    const stopOnFailure = async (err: unknown): Promise<never> => {
      const logs = await container.logs({ stdout: true, stderr: true, tail: 15 }).catch(() => Buffer.from(''));
      await container.remove({ force: true, v: true }).catch(() => undefined);
      throw new NestedEngineError(
        `the nested engine did not start: ${(err as Error).message}\n${logs.toString('utf8').replace(/[^\x20-\x7e\n]/g, '')}`,
      );
    };
    try {
      await container.start();
      const port = (await container.inspect()).NetworkSettings.Ports['2375/tcp']?.[0]?.HostPort;
      if (!port) throw new Error('no port published for 2375/tcp');
      const nested = new LabEngine(endpointFromUrl(`tcp://127.0.0.1:${port}`, {}), host);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          await nested.docker.ping();
          break;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          if (!(await container.inspect()).State.Running) throw new Error('dockerd exited', { cause: err });
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      return new NestedEngine(host, container, nested);
    } catch (err) {
      return stopOnFailure(err);
    }
  }

  get url(): string {
    return this.engine.url;
  }

  /** Whether a path of this machine exists inside the nested engine's own filesystem. */
  async sees(hostPath: string): Promise<boolean> {
    const exec = await this.container.exec({ Cmd: ['test', '-e', hostPath] });
    await exec
      .start({ hijack: true, stdin: false })
      .then((stream) => new Promise((resolve) => stream.on('end', resolve).on('close', resolve).resume()));
    for (;;) {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode === 0;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    await this.container.remove({ force: true, v: true }).catch((err: unknown) => {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * The lab image plus Debian's docker.io, built on `host` once and kept under a tag naming the lab
 * image it came from. No registry is reachable, so the engine comes from Debian's packages, the
 * way scripts/ensure-docker.sh installs this machine's own.
 */
async function engineImage(host: LabEngine): Promise<string> {
  const labImageId = (await host.docker.getImage(await host.labImage()).inspect()).Id;
  const tag = `${ENGINE_IMAGE_REPO}:${labImageId.replace(/^sha256:/, '').slice(0, 16)}`;
  try {
    await host.docker.getImage(tag).inspect();
    return tag;
  } catch {
    // not there yet: built below
  }
  const dockerfile = [
    `FROM ${labImageId}`,
    'RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io iptables >/dev/null && rm -rf /var/lib/apt/lists/*',
    '',
  ].join('\n');
  const stream = await host.docker.buildImage(
    packContext([{ name: 'Dockerfile', mode: 0o644, content: Buffer.from(dockerfile) }]),
    {
      t: tag,
      rm: true,
      forcerm: true,
    },
  );
  await followToEnd(
    host.docker,
    stream,
    (why) => new NestedEngineError(`the nested engine's image could not be built: ${why}`),
  );
  return tag;
}
