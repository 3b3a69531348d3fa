import dgram from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { CHUNK_SIZE, encodeDatagram } from '../protocol/datagram.ts';
import { DownloadReceiver } from './download-receiver.ts';
import { TempFile } from './temp-file.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

async function udpFrom(address: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  cleanups.push(() => socket.close());
  return socket;
}

it('classifies every datagram it ignores and keeps only good ones', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'client-rx-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = await TempFile.create(dir, 'x.bin');
  cleanups.push(() => file.remove());
  const sent: string[] = [];
  const receiver = await DownloadReceiver.open({
    count: 2,
    localAddress: '127.0.0.3',
    serverAddress: '127.0.0.1',
    file,
    sendLine: (line) => sent.push(line),
  });
  cleanups.push(() => receiver.close());
  const server = await udpFrom('127.0.0.1');
  const stranger = await udpFrom('127.0.0.2');
  const full = Buffer.alloc(CHUNK_SIZE, 7);
  const send = (socket: dgram.Socket, bytes: Uint8Array) => socket.send(bytes, receiver.port, '127.0.0.3');
  const whole = receiver.receivePart(0, 2);
  send(stranger, encodeDatagram(0, full));
  send(server, Buffer.from([0, 0, 0, 0, 0x3b, 1]));
  send(server, encodeDatagram(2, Buffer.from('z')));
  send(server, encodeDatagram(0, Buffer.from('short')));
  send(server, encodeDatagram(1, Buffer.alloc(0)));
  send(server, encodeDatagram(0, full));
  send(server, encodeDatagram(0, full));
  send(server, encodeDatagram(1, Buffer.from('end')));
  await whole;
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(receiver.stats).toMatchObject({
    foreign: 1,
    malformed: 1,
    outOfRange: 1,
    badLength: 2,
    duplicate: 1,
    resendRounds: 0,
  });
  expect(receiver.ignored).toBe(6);
  expect(receiver.lastByte).toBe('d'.charCodeAt(0));
  expect(receiver.receivedBytes).toBe(CHUNK_SIZE + 3);
  await file.flush();
  const bytes = await readFile(file.path);
  expect(bytes.equals(Buffer.concat([full, Buffer.from('end')]))).toBe(true);
  // Progress reports only: no datagram was ever asked for again.
  expect(sent.filter((line) => !line.startsWith('ack|'))).toEqual([]);
});

it('calls the end near only when nearly all is held, not for a last seq that comes first', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'client-rx-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = await TempFile.create(dir, 'n.bin');
  cleanups.push(() => file.remove());
  const count = 200;
  const nearEnd: number[] = [];
  let held = 0;
  const receiver = await DownloadReceiver.open({
    count,
    localAddress: '127.0.0.3',
    serverAddress: '127.0.0.1',
    file,
    sendLine: () => undefined,
    onProgress: (n) => (held = n),
    onNearEnd: () => nearEnd.push(held),
  });
  cleanups.push(() => receiver.close());
  const server = await udpFrom('127.0.0.1');
  const chunk = Buffer.alloc(CHUNK_SIZE, 1);
  const whole = receiver.receivePart(0, count);
  // A copy of the last seq first (as a forger would send it), then every seq in order.
  const order = [count - 1, ...Array.from({ length: count - 1 }, (_, seq) => seq)];
  for (const seq of order) {
    server.send(encodeDatagram(seq, chunk), receiver.port, '127.0.0.3');
    if (seq % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await whole;
  // Called once, and only when the last seqs came with nearly everything else held.
  expect(nearEnd).toHaveLength(1);
  expect(nearEnd[0]).toBeGreaterThanOrEqual(count - 16);
});
