import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { LineClient, sleep } from '../test-support/line-client.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';
import { UdpTestReceiver } from '../test-support/udp-test-receiver.ts';

let dir: string;
let server: TestServer;
const open: { close(): void }[] = [];
const files: Record<string, Buffer> = {};

function pattern(size: number, salt: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + salt + (i >> 8)) & 0xff;
  return b;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'download-test-'));
  await mkdir(path.join(dir, 'files'));
  files['ten.bin'] = pattern(CHUNK_SIZE * 9 + 100, 1); // N = 10, H = 5
  files['exact.bin'] = pattern(CHUNK_SIZE * 4, 2); // N = 4 exactly
  files['empty.txt'] = Buffer.alloc(0);
  files['one.txt'] = Buffer.from('just one datagram\n');
  for (const [name, data] of Object.entries(files)) await writeFile(path.join(dir, 'files', name), data);
  server = await startTestServer(path.join(dir, 'files'));
});

afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

afterAll(async () => {
  await server.started.close();
  await rm(dir, { recursive: true, force: true });
});

async function startDownload(name: string, file: string, opts: { ignoreFirst?: number[]; address?: string } = {}) {
  const address = opts.address ?? '127.0.0.5';
  const control = await LineClient.connect(server.ports[0], address);
  const udp = await UdpTestReceiver.open(address, opts.ignoreFirst);
  open.push(control, udp);
  expect(await control.ask(`connect|${name}`)).toBe('connected');
  const start = await control.ask(`download|${file}`);
  expect(start).toMatch(/^\|\d+$/);
  control.send(`udp|${udp.port}`);
  return { control, udp, count: Number(start.slice(1)) };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('downloads', () => {
  it('sends the first half, waits at the pause, then the rest after proceed, and ends with the last byte', async () => {
    const { control, udp, count } = await startDownload('dl1', 'ten.bin');
    expect(count).toBe(10);
    await udp.settle(5);
    await sleep(150);
    // Nothing past the pause before proceed.
    expect(udp.seqsSent()).toEqual([0, 1, 2, 3, 4]);
    control.send('proceed');
    await udp.settle(10);
    expect(udp.seqsSent()).toEqual([...Array(10).keys()]);
    const data = files['ten.bin'];
    expect(await control.ask('stop')).toBe(`User dl1 downloaded 100% out of file. Last byte is: ${data.at(-1)}`);
    expect(sha(udp.assemble(10))).toBe(sha(data));
    expect(udp.arrivals.every((a) => a.from === '127.0.0.1')).toBe(true);
  });

  it('sends blocks of the size blksize| agreed, for the downloads the connection starts after it', async () => {
    const control = await LineClient.connect(server.ports[0], '127.0.0.5');
    const udp = await UdpTestReceiver.open('127.0.0.5');
    open.push(control, udp);
    expect(await control.ask('connect|blk')).toBe('connected');
    // Loopback is no link to fit: the server agrees to what was asked.
    expect(await control.ask('blksize|4096')).toBe('blksize|4096');
    const data = files['ten.bin'];
    expect(await control.ask('download|ten.bin')).toBe(`|${Math.ceil(data.length / 4096)}`);
    control.send(`udp|${udp.port}`);
    await udp.settle(3);
    control.send('proceed');
    await udp.settle(5);
    expect(udp.arrivals.map((a) => a.data.length)).toEqual([4096, 4096, 4096, 4096, data.length - 4 * 4096]);
    expect(await control.ask('stop')).toBe(`User blk downloaded 100% out of file. Last byte is: ${data.at(-1)}`);
    expect(sha(udp.assemble(5))).toBe(sha(data));
  });

  it('refuses a block size out of bounds with one error line, and keeps the one it had', async () => {
    const control = await LineClient.connect(server.ports[0], '127.0.0.5');
    open.push(control);
    expect(await control.ask('connect|blk2')).toBe('connected');
    expect(await control.ask('blksize|100')).toBe('error|blksize needs a block size from 512 to 65000 bytes, got 100');
    expect(await control.ask('blksize|70000')).toMatch(/^error\|blksize needs a block size/);
    expect(await control.ask('download|ten.bin')).toBe('|10');
    expect(await control.ask('stop')).toBe('download stopped');
  });

  it('stops at the pause on stop, and sends nothing past it', async () => {
    const { control, udp } = await startDownload('dl2', 'ten.bin');
    await udp.settle(5);
    expect(await control.ask('stop')).toBe('download stopped');
    await sleep(200);
    expect(Math.max(...udp.seqsSent())).toBe(4);
    // The session stays usable: a new download may start.
    expect(await control.ask('download|one.txt')).toBe('|1');
  });

  it('resends exactly the seqs that were asked for, in both halves', async () => {
    const { control, udp } = await startDownload('dl3', 'ten.bin', { ignoreFirst: [1, 3, 7] });
    await udp.settle(5);
    control.send('resend|1|3');
    await udp.settle(5);
    control.send('proceed');
    await udp.settle(10);
    control.send('resend|7');
    await udp.settle(10);
    const counts = new Map<number, number>();
    for (const s of udp.seqsSent()) counts.set(s, (counts.get(s) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1).map(([s]) => s)).toEqual([1, 3, 7]);
    expect([...counts.values()].every((n) => n <= 2)).toBe(true);
    expect(await control.ask('stop')).toMatch(/^User dl3 downloaded 100%/);
    expect(sha(udp.assemble(10))).toBe(sha(files['ten.bin']));
  });

  it('does not resend what was never sent, nor the same seq twice within a moment', async () => {
    const { control, udp } = await startDownload('dl4', 'ten.bin');
    await udp.settle(5);
    expect(await control.ask('resend|7|9999')).toBe('error|resend: 2 seqs were never sent and are ignored');
    control.send('resend|2|2|2\nresend|2'); // one segment: Nagle would hold a second write back for longer than the window
    await sleep(150);
    expect(udp.seqsSent().filter((s) => s === 2)).toHaveLength(2);
    expect(udp.seqsSent().some((s) => s >= 5)).toBe(false);
  });

  it('handles a file that is an exact multiple of 2043 bytes', async () => {
    const { control, udp, count } = await startDownload('dl5', 'exact.bin');
    expect(count).toBe(4);
    await udp.settle(2);
    control.send('proceed');
    await udp.settle(4);
    expect(udp.arrivals.map((a) => a.data.length)).toEqual([CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE]);
    expect(await control.ask('stop')).toBe(
      `User dl5 downloaded 100% out of file. Last byte is: ${files['exact.bin'].at(-1)}`,
    );
  });

  it('handles an empty file: no datagrams, and the last byte is none', async () => {
    const { control, udp, count } = await startDownload('dl6', 'empty.txt');
    expect(count).toBe(0);
    expect(await control.ask('stop')).toBe('User dl6 downloaded 100% out of file. Last byte is: none');
    expect(udp.arrivals).toEqual([]);
  });

  it('does not pause a one-datagram file', async () => {
    const { control, udp } = await startDownload('dl7', 'one.txt');
    await udp.settle(1);
    expect(await control.ask('stop')).toBe('User dl7 downloaded 100% out of file. Last byte is: 10');
  });

  it('refuses a second download while one runs, and serves two clients at once', async () => {
    const a = await startDownload('dl8', 'ten.bin', { address: '127.0.0.6' });
    expect(await a.control.ask('download|one.txt')).toBe("Can't download. A download is already running (ten.bin)");
    const b = await startDownload('dl9', 'ten.bin', { address: '127.0.0.7' });
    await Promise.all([a.udp.settle(5), b.udp.settle(5)]);
    a.control.send('proceed');
    b.control.send('proceed');
    await Promise.all([a.udp.settle(10), b.udp.settle(10)]);
    expect(sha(a.udp.assemble(10))).toBe(sha(files['ten.bin']));
    expect(sha(b.udp.assemble(10))).toBe(sha(files['ten.bin']));
  });
});
