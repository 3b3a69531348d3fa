import type { DownloadTimeline, TimelineEvent } from '../timeline/index.ts';
import { at, download, problems, times } from './describe.ts';
import { ExpectationFailed } from './expectation-failed.ts';

type Transmission = Extract<TimelineEvent, { kind: 'send' | 'resend' }>;

function transmissions(t: DownloadTimeline): Transmission[] {
  return t.events.filter((e): e is Transmission => e.kind === 'send' || e.kind === 'resend');
}

export interface ResentDrop {
  seq: number;
  droppedAt: number;
  resentAt: number;
}

/**
 * Every transmission the link dropped was followed by another transmission of that seq, unless
 * an earlier copy had already reached the client: a resend asked for early (a late datagram, a
 * silent path) and lost on the way costs the client nothing.
 */
export function everyDropResent(t: DownloadTimeline): ResentDrop[] {
  const tx = transmissions(t);
  const found: ResentDrop[] = [];
  const broken: string[] = [];
  for (const drop of t.drops) {
    const next = tx.find((x) => x.seq === drop.seq && x.attempt > drop.attempt);
    const alreadyHeld = tx.some((x) => x.seq === drop.seq && x.attempt < drop.attempt && x.arrived);
    if (next) found.push({ seq: drop.seq, droppedAt: drop.t, resentAt: next.t });
    else if (!alreadyHeld) broken.push(`seq ${drop.seq} was dropped by the link at ${at(drop.t)} but never resent`);
  }
  if (broken.length) throw new ExpectationFailed('everyDropResent', `in ${download(t)}: ${problems(broken)}`);
  return found;
}

/**
 * Each resend is covered by a request naming its seq that came before it: a
 * seq resent twice needs two requests, since the server resends once per ask.
 */
export function noResendWithoutRequest(t: DownloadTimeline): { resends: number } {
  const asked = new Map<number, number>();
  const resent = new Map<number, number>();
  const broken: string[] = [];
  for (const e of t.events) {
    if (e.kind === 'request') for (const s of e.seqs) asked.set(s, (asked.get(s) ?? 0) + 1);
    if (e.kind !== 'resend') continue;
    const done = (resent.get(e.seq) ?? 0) + 1;
    resent.set(e.seq, done);
    const requests = asked.get(e.seq) ?? 0;
    if (done <= requests) continue;
    broken.push(
      requests === 0
        ? `seq ${e.seq} was resent at ${at(e.t)} without any request naming it`
        : `seq ${e.seq} was resent ${times(done)} by ${at(e.t)} but requested only ${times(requests)} before then`,
    );
  }
  if (broken.length) throw new ExpectationFailed('noResendWithoutRequest', `in ${download(t)}: ${problems(broken)}`);
  return { resends: [...resent.values()].reduce((a, b) => a + b, 0) };
}
