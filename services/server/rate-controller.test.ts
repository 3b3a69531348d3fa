import { describe, expect, it } from 'vitest';
import {
  FLOOR_RATE,
  INITIAL_DATAGRAMS_PER_SECOND,
  RateController,
  SEED_DATAGRAM_BYTES,
  SILENCE_MS,
} from './rate-controller.ts';
import { jainIndex, simulatePath, throughput } from './testing/simulated-path.ts';

const mbit = (bytesPerSecond: number) => (bytesPerSecond * 8) / 1e6;
/** What a client stuck behind its own event loop does to the reports: 20 stalls a second, up to 10 ms each. */
const busyClient = { stallsPerSecond: 20, maxStallMs: 10 };
/** 20 Mbit/s, where a download of the seed's block starts. */
const INITIAL_RATE = INITIAL_DATAGRAMS_PER_SECOND * SEED_DATAGRAM_BYTES;

describe('rate controller on a simulated bottleneck', () => {
  it.each([
    [100, 0],
    [100, 10],
    [100, 30],
    [20, 5],
    [1000, 5],
  ])('fills a %i Mbit/s link at %i %% random loss, without overflowing its 20 ms queue', (rate, loss) => {
    const [flow] = simulatePath(
      { rateMbit: rate, queueMs: 20, lossPercent: loss, ...busyClient },
      [{ kind: 'adaptive' }],
      2000,
    );
    const onTheWire = (throughput(flow, 500, 2000) / (1 - loss / 100)) * 8e-6;
    expect(onTheWire / rate).toBeGreaterThan(0.9);
    expect(flow.dropped).toBe(0);
    expect(flow.maxQueueMs).toBeLessThan(20);
  });

  it('reaches a 1 Gbit/s link within half a second although the client stalls at the start', () => {
    // A client still loading its code, or collecting garbage, reads its socket late: every
    // datagram in the backlog looks queued. That must not pass for a full path for long.
    const [flow] = simulatePath(
      { rateMbit: 1000, queueMs: 20, ...busyClient, stalls: [{ atMs: 60, forMs: 40 }], seed: 7 },
      [{ kind: 'adaptive' }],
      1000,
    );
    expect(mbit(throughput(flow, 500, 1000)) / 1000).toBeGreaterThan(0.85);
  });

  it('starts a download of 9,000-byte frames near a 1 Gbit/s link: its first 100 ms move 60 % of what the link carries', () => {
    // Counted in datagrams, the start carries 4.3 times the bytes of a seed-block start: two doublings fewer.
    const [flow] = simulatePath(
      { rateMbit: 1000, queueMs: 20, ...busyClient, datagramBytes: 9014, seed: 7 },
      [{ kind: 'adaptive' }],
      200,
    );
    expect(mbit(throughput(flow, 0, 100)) / 1000).toBeGreaterThan(0.6);
    expect(flow.dropped).toBe(0);
  });

  it('shares a link fairly with a second download that starts later', () => {
    const flows = simulatePath(
      { rateMbit: 100, queueMs: 20, ...busyClient, seed: 3 },
      [{ kind: 'adaptive' }, { kind: 'adaptive', startMs: 300 }],
      3000,
    );
    const shares = flows.map((f) => throughput(f, 1000, 3000));
    expect(jainIndex(shares)).toBeGreaterThan(0.9);
    expect(mbit(shares[0] + shares[1])).toBeGreaterThan(85);
  });

  it('leaves a TCP flow sharing the link at least a third of it', () => {
    const [download, tcp] = simulatePath(
      { rateMbit: 100, queueMs: 20, seed: 5 },
      [{ kind: 'adaptive' }, { kind: 'reno', startMs: 300 }],
      4000,
    );
    expect(mbit(throughput(tcp, 1000, 4000))).toBeGreaterThan(100 / 3);
    expect(mbit(throughput(download, 1000, 4000))).toBeGreaterThan(0);
  });
});

describe('rate controller on its own', () => {
  const report = (c: RateController, now: number, sentBefore: number, delayMs: number) =>
    c.onReport(now, [{ delayMs, clientMs: now, sentBefore }], 2090);

  it("starts at 20 Mbit/s with the seed's block, at as many datagrams a second with larger ones, and keeps under the ceiling (--rate)", () => {
    expect(mbit(new RateController({ ceiling: Infinity }).rate)).toBeCloseTo(20, 0);
    expect(new RateController({ ceiling: Infinity, datagramBytes: 9014 }).rate).toBe(
      INITIAL_DATAGRAMS_PER_SECOND * 9014,
    );
    const capped = new RateController({ ceiling: 1_000_000 });
    expect(capped.rate).toBe(1_000_000);
    // Every datagram delivered as fast as sent and no queue: startup doubles the rate, the ceiling holds it.
    for (let t = 0; t <= 200; t += 5) report(capped, t, t * 10, 1);
    expect(capped.rate).toBe(1_000_000);
  });

  it('doubles while the path keeps up, and halves for every silent period while sending, down to the floor', () => {
    const c = new RateController({ ceiling: Infinity });
    let sent = 0;
    for (let t = 0; t <= 100; t += 5) {
      sent += (c.rate / 2090 / 1000) * 5;
      report(c, t, sent, 1);
    }
    expect(c.rate).toBeGreaterThan(4 * INITIAL_RATE);
    const before = c.rate;
    c.onSending(200);
    c.onSending(200 + SILENCE_MS);
    expect(c.rate).toBe(before / 2);
    for (let t = 200 + SILENCE_MS; t < 200 + 60 * SILENCE_MS; t += SILENCE_MS) c.onSending(t);
    expect(c.rate).toBe(FLOOR_RATE);
    expect(c.phase).toBe('startup');
  });

  it('starts up again when the queue stays empty after a startup ended on a late timestamp', () => {
    const c = new RateController({ ceiling: Infinity });
    let sent = 0;
    let t = 0;
    // The path takes whatever is sent, at once: only timestamps say anything.
    const step = (delayMs: number) => {
      t += 5;
      sent += (c.rate / 2090 / 1000) * 5;
      report(c, t, sent, delayMs);
    };
    for (let i = 0; i < 6; i++) step(1);
    step(40); // one client stall: every datagram read late looks queued
    step(40);
    expect(c.phase).toBe('steady');
    const after = c.rate;
    for (let i = 0; i < 30; i++) step(1); // 150 ms of an empty queue
    expect(c.rate).toBeGreaterThan(4 * after);
  });

  it('slows down when the queue grows past its target, whatever the loss', () => {
    const c = new RateController({ ceiling: Infinity });
    let sent = 0;
    // Startup on an empty path, then a queue that grows by 1 ms per report.
    for (let t = 0; t <= 60; t += 5) report(c, t, (sent += 50), 1);
    const fast = c.rate;
    for (let t = 65, queue = 1; t <= 160; t += 5, queue += 1) report(c, t, (sent += 50), 1 + queue);
    expect(c.phase).toBe('steady');
    expect(c.rate).toBeLessThan(fast);
  });
});
