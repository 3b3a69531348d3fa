import { pauseBoundary } from '../../services/protocol/datagram.ts';
import type { DownloadTimeline } from '../timeline/index.ts';
import { at, download, problems } from './describe.ts';
import { ExpectationFailed } from './expectation-failed.ts';

/**
 * No seq ≥ H left the server before `proceed`; after a `stop` at the pause
 * none at all. A timeline whose H was inferred from the traffic cannot catch
 * a server that ignores the pause: pass the server's pause percentage.
 */
export function nothingPastPauseBeforeProceed(
  t: DownloadTimeline,
  options: { pausePercent?: number } = {},
): { h: number; proceedAt: number | null } {
  const h = options.pausePercent === undefined ? t.h : pauseBoundary(t.n, options.pausePercent);
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
