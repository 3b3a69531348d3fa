import { describe, expect, it } from 'vitest';
import { bareTimeline } from '../timeline/testing/bare-timeline.ts';
import type { TimelineEvent } from '../timeline/types.ts';
import { sawOutage } from './outage-assertions.ts';

type Copy = Extract<TimelineEvent, { kind: 'send' | 'resend' }>;
const copy = (t: number, seq: number, attempt: number, arrivedAfter: number | null): Copy => ({
  t,
  kind: attempt ? 'resend' : 'send',
  seq,
  attempt,
  dropped: arrivedAfter === null,
  arrived: arrivedAfter === null ? null : { t: t + arrivedAfter, frame: 1 },
  frame: 1,
});

// Seqs 0–1 arrive, 2–5 are sent into an outage from 0.2 s to 4.2 s, then resent.
const cut = [
  copy(0.1, 0, 0, 0.001),
  copy(0.15, 1, 0, 0.001),
  ...[2, 3, 4, 5].map((seq, i) => copy(0.2 + i * 0.5, seq, 0, null)),
  ...[2, 3, 4, 5].map((seq, i) => copy(4.3 + i * 0.001, seq, 1, 0.001)),
];

describe('sawOutage', () => {
  it('finds the longest time without an arrival, the datagrams lost in it, and the resends after it', () => {
    const outage = sawOutage(bareTimeline(cut, { n: 6 }), 3);
    expect(outage.from).toBeCloseTo(0.151, 6);
    expect(outage.to).toBeCloseTo(4.301, 6);
    expect(outage.lostInside).toBe(4);
    expect(outage.resentAfter).toBe(4);
  });

  it('fails a download whose gaps were all shorter, naming the longest', () => {
    expect(() => sawOutage(bareTimeline(cut, { n: 6 }), 5)).toThrow(
      /never went 5 s without a datagram arriving while the link lost them: the longest such gap was 4\.150 s \(from 0\.151 s\)/,
    );
  });

  it('fails a gap in which nothing was lost: a pause of the sender is not an outage', () => {
    const quiet = [copy(0.1, 0, 0, 0.001), copy(4.1, 1, 0, 0.001)];
    expect(() => sawOutage(bareTimeline(quiet), 3)).toThrow(
      /the link lost nothing in any gap \(the longest gap was 4\.000 s\)/,
    );
  });

  it("does not count the user's time at the pause, and fails an outage nothing recovered from", () => {
    // Seq 1 lost and resent before the pause; the user thinks for 4.6 s; seq 2 lost just after proceed.
    const atPause = [
      copy(0.1, 0, 0, 0.001),
      copy(0.2, 1, 0, null),
      copy(0.4, 1, 1, 0.001),
      copy(5.05, 2, 0, null),
      copy(5.3, 2, 1, 0.001),
    ];
    expect(() => sawOutage(bareTimeline(atPause, { n: 3, proceedAt: 5 }), 3)).toThrow(/longest such gap was 0\.301 s/);
    const neverBack = [copy(0.1, 0, 0, 0.001), copy(0.2, 1, 0, null), copy(4.5, 2, 0, 0.001)];
    expect(() => sawOutage(bareTimeline(neverBack, { n: 3 }), 3)).toThrow(
      /no resend arrived after it: it never recovered/,
    );
  });
});
