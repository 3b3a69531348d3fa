import { describe, expect, it } from 'vitest';
import {
  LossDetector,
  type LossDetectorOptions,
  MIN_REORDER_MS,
  REORDER_POSITIONS,
  SILENT_PATH_MS,
} from './loss-detector.ts';

/** A detector over a download of `count` seqs, with a clock the test moves. */
function detector(count: number, options: LossDetectorOptions = {}) {
  const held = new Set<number>();
  const d = new LossDetector((seq) => held.has(seq), options);
  let now = 0;
  const asked: Array<{ at: number; seqs: number[] }> = [];
  d.startPart(0, count, now);
  const poll = () => {
    const seqs = d.due(now);
    if (seqs.length > 0) asked.push({ at: now, seqs });
    return seqs;
  };
  return {
    d,
    asked,
    /** `seq` arrives at the current time (once). */
    arrive(...seqs: number[]) {
      for (const seq of seqs) {
        if (held.has(seq)) continue;
        held.add(seq);
        d.onArrival(seq, now);
      }
    },
    /** Moves the clock in 1 ms steps, polling as the client does. */
    wait(ms: number) {
      for (let i = 0; i < ms; i++) {
        now += 1;
        poll();
      }
    },
    get now() {
      return now;
    },
    allAsked: () => asked.flatMap((a) => a.seqs),
  };
}

describe('loss detector', () => {
  it(`asks for nothing that is only late: overtaken by ${REORDER_POSITIONS} or a few milliseconds`, () => {
    const t = detector(40);
    t.arrive(0, 1, 3, 4, 5, 2); // 2 overtaken by three
    t.wait(1);
    t.arrive(6, 7, 9, 10, 11, 12, 13, 14);
    t.wait(MIN_REORDER_MS - 2); // 8 is late, but by less than the reorder window
    t.arrive(8);
    for (let seq = 15; seq < 40; seq++) {
      t.arrive(seq);
      t.wait(1);
    }
    expect(t.allAsked()).toEqual([]);
  });

  it('asks for a lost seq once the reorder window has passed, and only once while its resend is on the way', () => {
    const t = detector(100);
    t.arrive(0, 1, 2, 4, 5, 6, 7, 8);
    t.wait(MIN_REORDER_MS - 1);
    expect(t.allAsked()).toEqual([]);
    t.wait(1);
    expect(t.asked).toEqual([{ at: MIN_REORDER_MS, seqs: [3] }]);
    t.wait(5);
    expect(t.allAsked()).toEqual([3]);
  });

  it("asks for a seq lost among a part's last ones once the last one came and the reorder window passed", () => {
    const t = detector(100);
    for (let seq = 0; seq < 97; seq++) t.arrive(seq);
    t.arrive(98, 99); // 97 is lost: only two seqs can come after it
    t.wait(MIN_REORDER_MS - 1);
    expect(t.allAsked()).toEqual([]);
    t.wait(1);
    expect(t.asked).toEqual([{ at: MIN_REORDER_MS, seqs: [97] }]);
  });

  it("asks nothing for a datagram among a part's last ones that is only late", () => {
    const t = detector(100);
    for (let seq = 0; seq < 97; seq++) t.arrive(seq);
    t.arrive(98, 99);
    t.wait(MIN_REORDER_MS - 2);
    t.arrive(97);
    t.wait(100);
    expect(t.allAsked()).toEqual([]);
  });

  it('waits 100 ms for the first datagram before asking for anything: a busy server starts late', () => {
    const t = detector(1000);
    t.wait(99);
    expect(t.allAsked()).toEqual([]);
    t.wait(2);
    expect(t.allAsked()).toContain(0);
  });

  it('finds a lost last datagram by the silence after it, asking only as far as may have been sent', () => {
    const t = detector(1000);
    for (let seq = 0; seq < 500; seq++) t.arrive(seq);
    t.arrive(501);
    t.wait(200);
    // 500 lies under the reorder positions; after a quiet spell the tail is asked for: 500 and up to 64 past 501.
    const first = t.asked[0];
    expect(first.seqs[0]).toBe(500);
    expect(Math.max(...first.seqs)).toBe(501 + 64);
    expect(first.seqs).not.toContain(501);
  });

  it('without its timers (--no-loss-timers) never learns of a lost tail or a lost resend: the download would stall', () => {
    const t = detector(1000, { lossTimers: false });
    for (let seq = 0; seq < 500; seq++) if (seq !== 100) t.arrive(seq);
    t.wait(MIN_REORDER_MS + 1);
    expect(t.allAsked()).toEqual([100]); // revealed by the seqs after it
    t.wait(10_000); // the resend of 100 is lost, and 500–999 in a partition: nothing later reveals them
    expect(t.allAsked()).toEqual([100]);
  });

  it('asks again for a resend that was lost, as soon while other datagrams keep arriving', () => {
    const t = detector(10_000);
    let next = 0;
    const stream = (ms: number) => {
      for (let i = 0; i < ms; i++) {
        if (next !== 50) t.arrive(next);
        next++;
        t.wait(1);
      }
    };
    stream(400); // 50 is lost, and so is every resend of it
    const times = t.asked.filter((a) => a.seqs.includes(50)).map((a) => a.at);
    expect(times.length).toBeGreaterThanOrEqual(4);
    const gaps = times.slice(1).map((at, i) => at - times[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(gaps[0] + 1); // no backoff on a live path
  });

  it('asks again at once for the last seq of a lossy download whose resends are lost, until the path falls silent', () => {
    const t = detector(100);
    for (let seq = 0; seq < 99; seq++) {
      t.arrive(seq);
      t.wait(1);
    }
    t.wait(SILENT_PATH_MS - 1); // 99 is lost, and so is every resend of it
    const times = t.asked.filter((a) => a.seqs.includes(99)).map((a) => a.at);
    const gaps = times.slice(1).map((at, i) => at - times[i]);
    expect(times.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(gaps[0] + 1);
  });

  it('backs off on a silent path: each round waits twice as long, up to a second', () => {
    const t = detector(100);
    t.arrive(0, 1, 2);
    t.wait(10_000); // a partition: nothing more arrives
    const times = t.asked.map((a) => a.at);
    const late = times.filter((at) => at >= SILENT_PATH_MS + 100);
    const gaps = late.slice(1).map((at, i) => at - late[i]);
    expect(times.length).toBeLessThan(30);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1000 + 1);
    expect(gaps.slice(-3).every((g) => g >= 999)).toBe(true);
  });

  it('widens its reorder window when a datagram it asked for turns out to have been late, and narrows it again', () => {
    const t = detector(400);
    let base = 0;
    /** A real loss of seq base+2, its resend back 12 ms after the request. */
    const loss = () => {
      t.arrive(base, base + 1, base + 3, base + 4, base + 5, base + 6, base + 7);
      for (let ms = 0; ms < 200 && !t.allAsked().includes(base + 2); ms++) t.wait(1);
      t.wait(12);
      t.arrive(base + 2);
      base += 8;
    };
    for (let i = 0; i < 4; i++) loss(); // enough resends to know how long one takes
    // base+1 is merely late by more than the window: asked for, then it arrives far sooner than any resend could.
    t.arrive(base, base + 2, base + 3, base + 4, base + 5);
    t.wait(MIN_REORDER_MS);
    t.wait(1);
    t.arrive(base + 1);
    base += 8;
    expect(t.d.reorderWindowMs).toBe(2 * MIN_REORDER_MS);
    for (let i = 0; i < 10; i++) loss();
    expect(t.d.reorderWindowMs).toBeLessThan(1.5 * MIN_REORDER_MS);
  });
});
