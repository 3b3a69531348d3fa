import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { ChildServer } from '../test-support/child-server.ts';
import { makeFilesFixture, type FilesFixture } from '../test-support/files-fixture.ts';
import { LineClient, sleep } from '../test-support/line-client.ts';
import { MiB, openFds, rssOf } from '../test-support/proc-stats.ts';
import { UdpTestReceiver } from '../test-support/udp-test-receiver.ts';

/**
 * Clients killed in the middle of downloads, 100 in a row, against the real server program:
 * it must give back every UDP socket, file handle and name, and its memory must not grow.
 */
let fixture: FilesFixture;
let server: ChildServer;

beforeAll(async () => {
  // 4 MB: at 400 Mbit/s the first half takes ~40 ms to send, so a kill lands mid-transfer.
  fixture = await makeFilesFixture('killed', { 'big.bin': Buffer.alloc(CHUNK_SIZE * 2000, 9) });
  server = await ChildServer.start(fixture.files, { portCount: 1 });
});

afterAll(async () => {
  await server?.stop();
  await fixture?.remove();
});

type Moment = 'right after udp|' | 'after the first datagram' | 'at the pause, asking for resends';
const MOMENTS: Moment[] = ['right after udp|', 'after the first datagram', 'at the pause, asking for resends'];

async function killMidDownload(i: number, moment: Moment): Promise<void> {
  const address = `127.0.9.${(i % 250) + 1}`;
  const c = await LineClient.connect(server.ports[0], address);
  const udp = await UdpTestReceiver.open(address);
  try {
    expect(await c.ask(`connect|victim${i}`)).toBe('connected');
    expect(await c.ask('download|big.bin')).toBe('|2000');
    c.send(`udp|${udp.port}`);
    if (moment === 'after the first datagram') await udp.settle(1, 2000);
    if (moment === 'at the pause, asking for resends') {
      await udp.settle(1000, 100);
      c.send('resend|0|1|2|3');
    }
  } finally {
    c.socket.destroy();
    udp.close();
  }
}

async function settledFds(target: number): Promise<number> {
  let fds = await openFds(server.pid);
  for (let i = 0; i < 100 && fds > target; i++) {
    await sleep(20);
    fds = await openFds(server.pid);
  }
  return fds;
}

describe('clients killed mid-download', () => {
  it('100 in a row: the server holds the same fds afterwards, no names, and about the same memory', async () => {
    for (let i = 0; i < 6; i++) await killMidDownload(i, MOMENTS[i % 3]); // warm-up: lazily opened fds, JIT
    const probe = await LineClient.connect(server.ports[0], '127.0.9.254');
    while ((await probe.ask('get_users')) !== 'users') await sleep(10);
    const fdsBefore = await settledFds(0);
    const rssBefore = await rssOf(server.pid);

    for (let i = 0; i < 100; i++) await killMidDownload(100 + i, MOMENTS[i % 3]);

    const fdsAfter = await settledFds(fdsBefore);
    const rssAfter = await rssOf(server.pid);
    expect(await probe.ask('get_users')).toBe('users');
    probe.close();
    console.info(
      `killed 100: fds ${fdsBefore} -> ${fdsAfter}, RSS ${(rssBefore / MiB).toFixed(1)} -> ${(rssAfter / MiB).toFixed(1)} MiB`,
    );
    expect(fdsAfter).toBe(fdsBefore);
    expect(rssAfter - rssBefore).toBeLessThan(16 * MiB);
    expect(server.events('download-end big.bin connection closed').length).toBeGreaterThanOrEqual(106);
    expect(server.events('internal-error')).toEqual([]);
    expect(server.exited).toBe(false);
  });
});
