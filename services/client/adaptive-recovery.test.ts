import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdaptiveRecovery, READS_PER_TURN } from './adaptive-recovery.ts';
import { MIN_REORDER_MS } from './loss-detector.ts';
import type { RecoveryHost } from './recovery.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A receiver's side of the recovery: what it holds, and every seq it asked for. */
function fakeHost() {
  const held = new Set<number>();
  const asked: number[] = [];
  const host: RecoveryHost = {
    missing: (from, to) => Array.from({ length: to - from }, (_, i) => from + i).filter((s) => !held.has(s)),
    held: (seq) => held.has(seq),
    requestResend: (seqs) => asked.push(...seqs),
    sendLine: () => undefined,
  };
  return { host, held, asked };
}

describe('adaptive recovery and the event loop', () => {
  it('does not ask for a late datagram still waiting in the socket behind a full turn of reads', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setImmediate', 'performance'] });
    const { host, held, asked } = fakeHost();
    const recovery = new AdaptiveRecovery(host, {});
    const arrive = (seqs: number[]) => {
      for (const seq of seqs) {
        held.add(seq);
        recovery.onDatagram(seq, true);
      }
    };
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    recovery.startPart(0, 200);
    const started = performance.now();
    // Seq 10 is late: 11–14 overtook it.
    arrive([...range(0, 10), ...range(11, 15)]);
    // Polls come and go while nothing else arrives, until just before the reorder window ends.
    vi.advanceTimersByTime(8);
    expect(asked).toEqual([]);
    // The next poll, past the window, starts a judgement; before it runs, one turn of the event
    // loop reads as many datagrams as libuv reads at once. Seq 10 is still in the socket behind them.
    do vi.advanceTimersToNextTimer();
    while (performance.now() - started <= MIN_REORDER_MS);
    arrive(range(15, 15 + READS_PER_TURN));
    // The judgement runs after that turn's reads (with the report they scheduled).
    vi.advanceTimersByTime(1);
    // The next turn reads the rest, seq 10 among them.
    arrive([10, ...range(15 + READS_PER_TURN, 60)]);
    vi.advanceTimersToNextTimer();
    vi.advanceTimersByTime(20);
    expect(asked).toEqual([]);
    recovery.close();
  });

  it('does not take a stall of its own, between the reads and the judgement, for a silent path', () => {
    // performance.now() follows the fake clock plus a stall the test adds: a turn that takes
    // 40 ms without any timer or read running, as a garbage collection or a busy core does.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setImmediate', 'Date'] });
    let stallMs = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => Date.now() + stallMs);
    const { host, held, asked } = fakeHost();
    const recovery = new AdaptiveRecovery(host, {});
    const arrive = (from: number, to: number) => {
      for (let seq = from; seq < to; seq++) {
        held.add(seq);
        recovery.onDatagram(seq, true);
      }
    };
    recovery.startPart(0, 200);
    arrive(0, 100);
    // The server pauses a few ms; a poll then starts a judgement, and the turn stalls before it runs.
    vi.advanceTimersByTime(10);
    vi.advanceTimersToNextTimer();
    expect(asked).toEqual([]);
    stallMs += 40;
    // Meanwhile the rest of the part reached the socket: the next turns read it.
    vi.advanceTimersToNextTimer();
    arrive(100, 100 + READS_PER_TURN);
    vi.advanceTimersToNextTimer();
    arrive(100 + READS_PER_TURN, 200);
    vi.advanceTimersByTime(20);
    expect(asked).toEqual([]);
    recovery.close();
  });
});
