import type { FileHandle } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { sleep } from '../test-support/line-client.ts';
import { UdpTestReceiver } from '../test-support/udp-test-receiver.ts';
import { DownloadSender } from './download-sender.ts';
import { RESEND_WINDOW_MS } from './resend-queue.ts';
import { datagramsPerRead } from './read-ahead.ts';

const BLOCK_DATAGRAMS = datagramsPerRead(CHUNK_SIZE);

/** A file whose reads the test holds back or fails, which a real file on disk will not do on cue. */
function scriptedFile(read: (call: number) => Promise<void>): FileHandle {
  let calls = 0;
  const handle = {
    async read(buffer: Buffer, offset: number, length: number) {
      await read(calls++);
      buffer.fill(1, offset, offset + length);
      return { bytesRead: length, buffer };
    },
    async readv(buffers: Buffer[]) {
      await read(calls++);
      for (const b of buffers) b.fill(1);
      return { bytesRead: buffers.reduce((n, b) => n + b.length, 0), buffers };
    },
    async close() {},
  };
  return handle as unknown as FileHandle;
}

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

const udpSockets = () =>
  process.getActiveResourcesInfo().filter((r) => r === 'UDPSocketWrap' || r === 'UDPWrap').length;

describe('download sender', () => {
  it('does not queue a seq again while it still waits to be resent, so the queue never outgrows N', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The first read (the 20 fresh datagrams) goes through; every resend read then hangs.
    const sender = new DownloadSender(
      scriptedFile((call) => (call === 0 ? Promise.resolve() : gate)),
      CHUNK_SIZE * 20,
      { pausePercent: 100, rateMbit: 0 },
      () => {},
    );
    const udp = await UdpTestReceiver.open();
    open.push(udp, { close: () => (release(), sender.close()) });
    await sender.start('127.0.0.1', '127.0.0.1', udp.port);
    await udp.settle(20);
    const all = [...Array(20).keys()];
    expect(sender.resend(all).accepted).toHaveLength(20); // taken off the queue at once, then stuck reading
    await sleep(RESEND_WINDOW_MS + 10);
    expect(sender.resend(all).accepted).toHaveLength(20); // window passed: queued again
    await sleep(RESEND_WINDOW_MS + 10);
    const third = sender.resend(all);
    expect(third.accepted).toEqual([]);
    expect(third.suppressed).toBe(20);
  });

  it('reports a read error once, as a failure of the download, without throwing', async () => {
    const failures: Error[] = [];
    const eio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    const sender = new DownloadSender(
      scriptedFile((call) => (call === 0 ? Promise.resolve() : Promise.reject(eio))),
      CHUNK_SIZE * 3 * BLOCK_DATAGRAMS,
      { pausePercent: 100, rateMbit: 0 },
      (e) => failures.push(e),
    );
    const udp = await UdpTestReceiver.open();
    open.push(udp, sender);
    await sender.start('127.0.0.1', '127.0.0.1', udp.port);
    await udp.settle(3 * BLOCK_DATAGRAMS, 100);
    expect(failures).toEqual([eio]);
    // What the first read brought went out (unpaced, so the test socket may drop some); nothing after it.
    expect(udp.held.size).toBeGreaterThan(0);
    expect(Math.max(...udp.held.keys())).toBeLessThan(BLOCK_DATAGRAMS);
  });

  it('closes its UDP socket even when the client leaves while the socket is being bound', async () => {
    await sleep(20); // the sockets of earlier tests finish closing
    const before = udpSockets();
    for (let i = 0; i < 20; i++) {
      const sender = new DownloadSender(
        scriptedFile(() => Promise.resolve()),
        CHUNK_SIZE,
        { pausePercent: 50, rateMbit: 0 },
        () => {},
      );
      const started = sender.start('127.0.0.1', '127.0.0.1', 9);
      await sender.close();
      await started;
    }
    await sleep(20);
    expect(udpSockets()).toBe(before);
  });

  it("with --fixed-rate sends at exactly its rate, whatever the client's progress reports say", () => {
    const senders = [false, true].map(
      (fixedRate) =>
        new DownloadSender(
          scriptedFile(() => Promise.resolve()),
          CHUNK_SIZE * 20,
          { pausePercent: 100, rateMbit: 8, fixedRate },
          () => {},
        ),
    );
    for (const sender of senders) sender.ack({ received: 0, samples: [] });
    const [paced, fixed] = senders;
    expect(paced.adaptive).toBe(true);
    expect(fixed.adaptive).toBe(false);
    expect(fixed.rate).toBe(1_000_000);
  });
});
