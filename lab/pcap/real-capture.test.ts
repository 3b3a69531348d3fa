import { describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { encodeDatagram } from '../../services/protocol/datagram.ts';
import { readCapture } from './decode-capture.ts';
import { readPcap } from './read-pcap.ts';

/** Why the real-capture test cannot run here, or null when it can. */
function unavailable(): string | null {
  const probe = spawnSync('tcpdump', ['--version'], { encoding: 'utf8' });
  if (probe.error) return 'tcpdump is not installed (apt-get install -y tcpdump)';
  if (process.getuid?.() !== 0) return 'capturing needs root (or CAP_NET_RAW)';
  return null;
}
const reason = unavailable();
if (reason) console.warn(`lab/pcap real-capture test skipped: ${reason}`);

async function startTcpdump(
  iface: string,
  path: string,
  filter: string,
  netns?: string,
  extra: string[] = [],
): Promise<ChildProcess> {
  // In immediate mode a ring slot holds one packet of the snap length (loopback's 64 KiB MTU makes
  // it large): the default 2 MiB ring then has only a few slots, which a busy machine can overrun.
  const args = ['-i', iface, '-U', '--immediate-mode', '-n', '-B', '32768', ...extra, '-w', path, filter];
  const child = netns
    ? spawn('ip', ['netns', 'exec', netns, 'tcpdump', ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += String(d);
      if (stderr.includes('listening on')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`tcpdump exited with ${code}: ${stderr}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

/** Why the conversions cannot be checked here, or null when they can. */
function editcapMissing(): string | null {
  const probe = spawnSync('editcap', ['-h'], { encoding: 'utf8' });
  return probe.error ? 'editcap is not installed (apt-get install -y wireshark-common)' : null;
}

/**
 * A control line split over two segments, its answer and one download datagram on loopback,
 * captured by tcpdump on lo (Ethernet) and on any (SLL2) at once, with the given time precision.
 */
async function captureConversation(
  dir: string,
  precision: 'micro' | 'nano',
): Promise<{ tcpPort: number; udpPort: number }> {
  const server = createServer((s) => s.on('data', (d: Buffer) => d.includes('\n') && s.write('|1\n')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const tcpPort = (server.address() as AddressInfo).port;
  const receiver = createSocket('udp4');
  await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', r));
  const udpPort = receiver.address().port;
  const filter = `host 127.0.0.1 and (tcp port ${tcpPort} or udp port ${udpPort})`;
  const extra = ['--time-stamp-precision', precision];
  const captures = await Promise.all([
    startTcpdump('lo', join(dir, 'lo.pcap'), filter, undefined, extra),
    startTcpdump('any', join(dir, 'any.pcap'), filter, undefined, extra),
  ]);
  try {
    const conn = createConnection(tcpPort, '127.0.0.1');
    await new Promise((r) => conn.once('connect', r));
    conn.setNoDelay(true);
    conn.write('download|q.');
    await delay(20); // two writes, two segments: the line is split on the wire
    conn.write('txt\n');
    await new Promise((r) => conn.once('data', r));
    const sender = createSocket('udp4');
    await new Promise<void>((r) =>
      sender.send(encodeDatagram(0, Buffer.alloc(2043, 1)), udpPort, '127.0.0.1', () => r()),
    );
    sender.close();
    conn.end();
    // tcpdump writes asynchronously: wait until the datagram has reached both files.
    for (let i = 0; i < 50; i++) {
      const both = await Promise.all(['lo', 'any'].map((n) => readCapture(join(dir, `${n}.pcap`)).catch(() => null)));
      if (both.every((d) => d?.udp.some((u) => u.datagram?.seq === 0))) break;
      await delay(100);
    }
  } finally {
    await Promise.all(captures.map(stop));
    server.close();
    receiver.close();
  }
  return { tcpPort, udpPort };
}

function seen(d: Awaited<ReturnType<typeof readCapture>>, tcpPort: number) {
  return {
    lines: d.controlLines.map((l) => `${l.to.port === tcpPort ? 'c>s' : 's>c'} ${l.text}`),
    datagrams: d.udp.filter((u) => u.datagram).map((u) => ({ frame: u.frame, tsUs: u.tsUs, ...u.datagram })),
    lineTimes: d.controlLines.map((l) => [l.frame, l.tsUs]),
  };
}

describe.skipIf(reason !== null)(`real capture with tcpdump${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('decodes lines and a datagram from loopback traffic, on lo (Ethernet) and on any (SLL2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-pcap-'));
    const { tcpPort, udpPort } = await captureConversation(dir, 'micro');
    for (const [name, linkTypes] of [
      ['lo', [1]],
      ['any', [113, 276]],
    ] as const) {
      const d = await readCapture(join(dir, `${name}.pcap`));
      expect(linkTypes).toContain(d.linkType);
      expect(seen(d, tcpPort).lines).toEqual(['c>s download|q.txt', 's>c |1']);
      expect(d.udp.find((u) => u.datagram)).toMatchObject({
        dst: { ip: '127.0.0.1', port: udpPort },
        datagram: { seq: 0, dataLength: 2043 },
      });
    }
  });

  const noEditcap = editcapMissing();
  it.skipIf(noEditcap !== null)(
    `reads the same packets from pcapng that editcap and mergecap made of them, nanosecond ones too${noEditcap ? ` (skipped: ${noEditcap})` : ''}`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lab-pcapng-'));
      const { tcpPort } = await captureConversation(dir, 'nano');
      const tool = (cmd: string, args: string[]) => expect(spawnSync(cmd, args, { encoding: 'utf8' }).stderr).toBe('');
      tool('editcap', ['-F', 'pcapng', join(dir, 'lo.pcap'), join(dir, 'lo.pcapng')]);
      tool('editcap', ['-F', 'pcap', join(dir, 'lo.pcap'), join(dir, 'lo-micro.pcap')]);
      tool('mergecap', ['-F', 'pcapng', '-w', join(dir, 'both.pcapng'), join(dir, 'lo.pcap'), join(dir, 'any.pcap')]);
      const classic = await readCapture(join(dir, 'lo.pcap'));
      const ng = await readCapture(join(dir, 'lo.pcapng'));
      expect(ng.format).toBe('pcapng');
      expect(seen(ng, tcpPort)).toEqual(seen(classic, tcpPort));
      // The nanosecond file and its microsecond conversion agree to the microsecond.
      expect(seen(await readCapture(join(dir, 'lo-micro.pcap')), tcpPort)).toEqual(seen(classic, tcpPort));
      const any = await readCapture(join(dir, 'any.pcap'));
      const raw = await readPcap(join(dir, 'both.pcapng'));
      expect(raw.interfaces.map((i) => i.linkType)).toEqual([1, any.linkType]);
      const merged = await readCapture(join(dir, 'both.pcapng'));
      // The datagrams of both interfaces; the TCP copies of the other interface are the same bytes of the same stream.
      const datagrams = (d: typeof any) => d.udp.filter((u) => u.datagram).length;
      expect(datagrams(merged)).toBe(datagrams(classic) + datagrams(any));
      expect(datagrams(merged)).toBeGreaterThanOrEqual(2);
      expect(merged.controlLines.map((l) => l.text)).toEqual(['download|q.txt', '|1']);
    },
  );

  it('reassembles a datagram that a 1500-byte MTU really fragmented (private network namespace)', async (ctx) => {
    const ns = `labpcap-${process.pid}`;
    if (spawnSync('ip', ['netns', 'add', ns]).status !== 0) ctx.skip('cannot create a network namespace here');
    try {
      // The namespace's own loopback: nothing outside it is touched, and its MTU makes the kernel fragment.
      expect(spawnSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'mtu', '1500', 'up']).status).toBe(0);
      const path = join(await mkdtemp(join(tmpdir(), 'lab-pcap-')), 'frag.pcap');
      // Not `udp port 50000`: a port filter drops every fragment after the first, which carries no UDP header.
      const tcpdump = await startTcpdump('lo', path, 'udp', ns);
      const send = `const s=require('dgram').createSocket('udp4');const b=Buffer.alloc(2048,7);b.writeUInt32BE(5,0);b[4]=58;s.send(b,50000,'127.0.0.1',()=>s.close())`;
      expect(spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', send]).status).toBe(0);
      for (let i = 0; i < 50 && !(await readCapture(path).catch(() => null))?.udp.length; i++) await delay(100);
      await stop(tcpdump);
      const d = await readCapture(path);
      expect(d.stats.records).toBe(2);
      expect(d.udp).toHaveLength(1);
      expect(d.udp[0]).toMatchObject({ fragments: 2, dst: { port: 50000 }, datagram: { seq: 5, dataLength: 2043 } });
    } finally {
      spawnSync('ip', ['netns', 'del', ns]);
    }
  });
});
