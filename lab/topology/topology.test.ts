import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePoints } from '../capture/capture-points.ts';
import { startCaptures } from '../capture/captures.ts';
import { dockerClient } from '../engine/docker-client.ts';
import { REPO_ROOT } from '../engine/ensure-lab-image.ts';
import { TOPOLOGY_LABEL } from '../engine/labels.ts';
import { countSeqs, udpReceiver, udpSender } from '../host/udp-probe.ts';
import { LabTopology } from './lab-topology.ts';
import type { StartedLabTopology } from './started-lab-topology.ts';

const resultsDir = path.join(tmpdir(), `udp-chat-lab-topology-test-${process.pid}`);
const filesDir = path.join(REPO_ROOT, 'files');
let topo: StartedLabTopology;

beforeAll(async () => {
  topo = await new LabTopology()
    .withScenario('topotest')
    .withClients(['alice', 'bob'])
    .withResultsDir(resultsDir)
    .start();
}, 600_000);

afterAll(async () => {
  await topo?.stop();
  await rm(resultsDir, { recursive: true, force: true });
});

/** The engine's archive calls on a container since a moment (its events `archive-path` and `extract-to-dir`). */
async function archiveCalls(containerId: string, since: number): Promise<string[]> {
  const until = Math.ceil(Date.now() / 1000) + 1;
  const filters = JSON.stringify({ container: [containerId], event: ['archive-path', 'extract-to-dir'] });
  const stream = await dockerClient().getEvents({ since, until, filters });
  const text: Buffer[] = [];
  for await (const chunk of stream) text.push(chunk as Buffer);
  return Buffer.concat(text)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { Action: string }).Action);
}

describe('a started topology', () => {
  it('gives every host its fixed address on its own network', async () => {
    const { server, client } = topo.networks;
    expect(topo.server.ip).toBe(server.subnet.host(10));
    expect(topo.clients.map((c) => c.ip)).toEqual([client.subnet.host(11), client.subnet.host(12)]);
    const shown = await topo.client('bob').execOk(['ip', '-o', '-4', 'addr', 'show', 'eth0']);
    expect(shown.stdout).toContain(` ${topo.client('bob').ip}/24`);
    const mtu = await topo.server.execOk(['cat', '/sys/class/net/eth0/mtu']);
    // Exactly a full datagram of the seed's block: the client then keeps that block (lab-networks.ts).
    expect(mtu.stdout.trim()).toBe('2076');
  });

  it('mounts nothing of this machine: every host runs the code from its image, files came through the API', async () => {
    for (const host of topo.hosts()) {
      const info = await host.container.inspect();
      expect(info.Mounts, host.name).toEqual([]);
      expect(info.HostConfig.Binds ?? [], host.name).toEqual([]);
    }
    const code = await topo.server.execOk(['ls', '/app/services/server/main.ts', '/app/node_modules/tsx/package.json']);
    expect(code.stdout).toContain('main.ts');
    const offered = await topo.server.execOk(['sh', '-c', 'cd /files && ls']);
    expect(offered.stdout.split('\n').filter(Boolean).sort()).toEqual((await readdir(filesDir)).sort());
  });

  it('routes client traffic to the server through the router, and the router captures see it', async () => {
    const captures = await startCaptures(topo);
    const rx = await topo.server.spawn(udpReceiver(40001));
    await rx.waitForLine(/ready/);
    const tx = await topo.client('alice').exec(udpSender(topo.server.ip, 40001, [7, 8, 9]));
    expect(tx.exitCode).toBe(0);
    expect(await rx.exitCode).toBe(0);
    expect([...countSeqs(rx.stdout.lines).keys()]).toEqual([7, 8, 9]);
    const files = await captures.stop();
    expect(files.map((f) => f.point).sort()).toEqual(
      ['client-alice', 'client-bob', 'router-client-side', 'router-server-side', 'server'].sort(),
    );
    const datagramsIn = async (point: string) => {
      const pcap = await readFile(path.join(topo.resultsDir, files.find((f) => f.point === point)!.file));
      expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4); // classic pcap, microseconds
      // Each full 2048-byte datagram is one unfragmented packet (MTU 2076): count seq headers.
      return [7, 8, 9].filter((seq) => pcap.includes(Buffer.from([0, 0, 0, seq, 0x3a, 0x61, 0x61]))).length;
    };
    expect(await datagramsIn('router-client-side')).toBe(3);
    expect(await datagramsIn('router-server-side')).toBe(3);
    expect(await datagramsIn('server')).toBe(3);
    expect(await datagramsIn('client-bob')).toBe(0);
  });

  it('drives a program through stdin: lines in, lines out, EOF on close, exit code', async () => {
    const proc = await topo
      .client('bob')
      .spawn(['sh', '-c', 'while read l; do echo "echo:$l"; done; echo eof; exit 7'], { stdin: true });
    proc.writeLine('hello');
    expect(await proc.waitForLine(/^echo:/)).toBe('echo:hello');
    proc.writeLine('again');
    expect(await proc.waitForLine(/^echo:/)).toBe('echo:again');
    proc.closeStdin();
    await proc.waitForLine(/^eof$/);
    expect(await proc.exitCode).toBe(7);
    expect(proc.stdout.lines).toEqual(['echo:hello', 'echo:again', 'eof']);
  });

  it('kills a spawned program with a signal, and times out waiting for a line that never comes', async () => {
    const proc = await topo.server.spawn(['sleep', '300']);
    await expect(proc.waitForLine(/never/, 200)).rejects.toMatchObject({ code: 'LAB_ERR_LINE_TIMEOUT' });
    await proc.kill('SIGTERM');
    expect(await proc.exitCode).toBe(143);
  });

  it('limits GSO to one segment on the router', async () => {
    const link = await topo.router.execOk(['ip', '-d', 'link', 'show', topo.router.clientSide.iface]);
    expect(link.stdout).toMatch(/gso_max_segs 1\b/);
  });

  it('moves files into a running host and out of it, keeping their bytes and modes, without the engine', async () => {
    const alice = topo.client('alice');
    const since = Math.floor(Date.now() / 1000) - 1;
    await alice.execOk(['mkdir', '-p', '/tmp/box']);
    const bytes = Buffer.from([0, 1, 2, 0xff, 0x0a]);
    await alice.putFiles('/tmp/box', [
      { name: 'a.txt', content: 'alpha' },
      { name: 'sub/b.bin', content: bytes, mode: 0o755 },
    ]);
    expect((await alice.execOk(['stat', '-c', '%a', '/tmp/box/sub/b.bin'])).stdout.trim()).toBe('755');
    const out = path.join(resultsDir, 'copied');
    const written = await alice.copyOut('/tmp/box', out);
    expect(written.map((w) => path.relative(out, w)).sort()).toEqual(['box/a.txt', 'box/sub/b.bin']);
    expect(await readFile(path.join(out, 'box/sub/b.bin'))).toEqual(bytes);
    expect(await alice.copyOut('/tmp/no-such-thing', out)).toEqual([]);
    // The host's agent moved them: the engine's archive API, a quarter of a CPU-second a call, was never asked.
    expect(await archiveCalls(alice.container.id, since)).toEqual([]);
  });

  it('gives up on a command after its timeout, and stops it', async () => {
    await expect(topo.server.exec(['sleep', '31'], { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'LAB_ERR_EXEC_TIMEOUT',
    });
    expect((await topo.server.exec(['pgrep', '-f', 'sleep 31'])).exitCode).toBe(1);
  });

  it('kills a whole host; its capture and its programs end with it', async () => {
    const bob = topo.client('bob');
    await bob.putFiles('/tmp', [{ name: 'left-behind.txt', content: 'still here' }]);
    const captures = await startCaptures(
      topo,
      capturePoints(topo).filter((p) => p.name === 'client-bob'),
    );
    const proc = await bob.spawn(['sleep', '300'], { stdin: true });
    await bob.kill();
    expect((await bob.container.inspect()).State.Running).toBe(false);
    await proc.exitCode;
    const [file] = await captures.stop();
    expect((await readFile(path.join(topo.resultsDir, file.file))).length).toBeGreaterThanOrEqual(24);
    // A dead host's agent answers nothing: its files come out through the engine.
    const out = path.join(resultsDir, 'from-dead-bob');
    expect(await bob.copyOut('/tmp/left-behind.txt', out)).toEqual([path.join(out, 'left-behind.txt')]);
    expect(await readFile(path.join(out, 'left-behind.txt'), 'utf8')).toBe('still here');
  });

  it('removes every container and network it made', async () => {
    await topo.stop();
    const filters = JSON.stringify({ label: [`${TOPOLOGY_LABEL}=${topo.id}`] });
    expect(await dockerClient().listContainers({ all: true, filters })).toEqual([]);
    expect(await dockerClient().listNetworks({ filters })).toEqual([]);
  });
});
