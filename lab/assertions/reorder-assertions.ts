import type { DownloadTimeline, TimelineEvent } from '../timeline/index.ts';
import { at, download, problems, seqList } from './describe.ts';
import { ExpectationFailed } from './expectation-failed.ts';

type Transmission = Extract<TimelineEvent, { kind: 'send' | 'resend' }>;

/** A datagram that arrived after some that left the server later than it. */
export interface Overtaken {
  seq: number;
  /** How many datagrams sent after it arrived before it. */
  positions: number;
  /** How much later it arrived than the first of those, in ms. */
  lateMs: number;
}

/**
 * The first transmissions that reached the client out of order, as the capture behind the
 * link saw them: `atLeast` of them, or the expectation fails.
 */
export function sawReordering(t: DownloadTimeline, atLeast: number): Overtaken[] {
  const arrived = t.events
    .filter((e): e is Transmission => e.kind === 'send' && e.arrived !== null)
    .sort((a, b) => a.t - b.t);
  const overtaken: Overtaken[] = [];
  for (let i = 0; i < arrived.length; i++) {
    const when = arrived[i].arrived!.t;
    const earlier = arrived.slice(i + 1).filter((later) => later.arrived!.t < when);
    if (earlier.length === 0) continue;
    const first = Math.min(...earlier.map((e) => e.arrived!.t));
    overtaken.push({ seq: arrived[i].seq, positions: earlier.length, lateMs: (when - first) * 1000 });
  }
  if (overtaken.length < atLeast)
    throw new ExpectationFailed(
      'sawReordering',
      `in ${download(t)}, expected at least ${atLeast} datagrams to arrive after later ones, saw ${overtaken.length}`,
    );
  return overtaken;
}

/** No request named any of `seqs`: for datagrams that were only late, asking again is a mistake. */
export function notRequested(t: DownloadTimeline, seqs: readonly number[]): void {
  const late = new Set(seqs);
  const broken = t.requests.flatMap((r) =>
    r.seqs.filter((s) => late.has(s)).map((s) => `seq ${s} was requested at ${at(r.t)}`),
  );
  if (broken.length)
    throw new ExpectationFailed(
      'notRequested',
      `in ${download(t)}, none of seqs ${seqList(late)} should have been asked for (they were late, not lost): ${problems(broken)}`,
    );
}

/** Seconds from `download|<file>` to the server's last line: how long the user waited. */
export function downloadSeconds(t: DownloadTimeline): number {
  const end = t.events.find((e) => e.kind === 'end');
  if (!end) throw new ExpectationFailed('downloadSeconds', `${download(t)} never ended`);
  return end.t;
}
