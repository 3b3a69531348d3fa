import type { DownloadTimeline } from '../timeline/index.ts';
import { at, download, problems } from './describe.ts';
import { ExpectationFailed } from './expectation-failed.ts';

/**
 * No seq ≥ H left the server before `proceed`; after a `stop` at the pause none at all.
 * H is the timeline's own: built with the pause percentage the clients expect, it catches a
 * server that ignores the pause; inferred from the traffic (hSource 'observed'), it cannot.
 */
export function nothingPastPauseBeforeProceed(t: DownloadTimeline): { h: number; proceedAt: number | null } {
  const { h } = t;
  const broken: string[] = [];
  for (const e of t.events) {
    if ((e.kind !== 'send' && e.kind !== 'resend') || e.seq < h) continue;
    if (t.proceedAt !== null && e.t >= t.proceedAt) continue;
    const sent = `seq ${e.seq} (≥ H = ${h}) was sent at ${at(e.t)}`;
    if (t.proceedAt !== null) broken.push(`${sent}, before \`proceed\` at ${at(t.proceedAt)}`);
    else if (t.stopAt !== null && e.t > t.stopAt) broken.push(`${sent}, after \`stop\` at ${at(t.stopAt)}`);
    else broken.push(`${sent}, and the client never sent \`proceed\``);
  }
  if (broken.length)
    throw new ExpectationFailed('nothingPastPauseBeforeProceed', `in ${download(t)}: ${problems(broken)}`);
  return { h, proceedAt: t.proceedAt };
}
