import type { DownloadTimeline } from '../timeline/index.ts';
import { download } from './describe.ts';
import { ExpectationFailed } from './expectation-failed.ts';

export interface Outage {
  /** Seconds since the download began: the last datagram that arrived before the gap, the first after it. */
  from: number;
  to: number;
  /** Transmissions of the server the link lost within the gap. */
  lostInside: number;
  /** Resends that arrived after the gap: the recovery. */
  resentAfter: number;
}

/** Arrival times (seconds since the start) of every copy that reached the client, in order. */
function arrivals(t: DownloadTimeline): number[] {
  const times = t.events.flatMap((e) => ((e.kind === 'send' || e.kind === 'resend') && e.arrived ? [e.arrived.t] : []));
  // The user's time at the pause is not an outage: the client is active again from `proceed` on.
  if (t.proceedAt !== null) times.push(t.proceedAt);
  return times.sort((a, b) => a - b);
}

const copies = (t: DownloadTimeline) =>
  t.events.filter((e): e is Extract<typeof e, { kind: 'send' | 'resend' }> => e.kind === 'send' || e.kind === 'resend');

/**
 * The download went through an outage and came out of it: before its end, no datagram reached
 * the client for at least `atLeastSeconds` while the link lost the server's datagrams, and resends
 * arrived after it. Returns the longest such gap.
 */
export function sawOutage(t: DownloadTimeline, atLeastSeconds: number): Outage {
  const times = arrivals(t);
  let longest = 0;
  let best: Outage | null = null;
  for (let i = 1; i < times.length; i++) {
    const [from, to] = [times[i - 1], times[i]];
    longest = Math.max(longest, to - from);
    const lostInside = copies(t).filter((e) => e.dropped && e.t > from && e.t < to).length;
    if (lostInside === 0 || (best && to - from <= best.to - best.from)) continue;
    const resentAfter = copies(t).filter((e) => e.kind === 'resend' && e.arrived && e.arrived.t >= to).length;
    best = { from, to, lostInside, resentAfter };
  }
  if (!best || best.to - best.from < atLeastSeconds)
    throw new ExpectationFailed(
      'sawOutage',
      `${download(t)} never went ${atLeastSeconds} s without a datagram arriving while the link lost them: ${
        best
          ? `the longest such gap was ${(best.to - best.from).toFixed(3)} s (from ${best.from.toFixed(3)} s)`
          : `the link lost nothing in any gap (the longest gap was ${longest.toFixed(3)} s)`
      }`,
    );
  if (best.resentAfter === 0)
    throw new ExpectationFailed(
      'sawOutage',
      `${download(t)} went ${(best.to - best.from).toFixed(3)} s without a datagram (from ${best.from.toFixed(3)} s), but no resend arrived after it: it never recovered`,
    );
  return best;
}
