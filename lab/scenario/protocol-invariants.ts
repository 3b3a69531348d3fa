import {
  everyDropResent,
  ExpectationFailed,
  noResendWithoutRequest,
  nothingPastPauseBeforeProceed,
} from '../assertions/index.ts';
import { messageOf } from '../errors/lab-error.ts';
import type { DownloadTimeline } from '../timeline/index.ts';

/**
 * What every download must show on the wire, whatever the scenario: no datagram past the
 * pause before `proceed`, no resend nobody asked for, and, once complete, every drop resent.
 * The runner checks these on every scenario, so that even a story that broke off early is
 * judged on the wire too.
 */
export function checkProtocolInvariants(timelines: DownloadTimeline[]): void {
  for (const t of timelines) {
    nothingPastPauseBeforeProceed(t);
    noResendWithoutRequest(t);
    if (t.outcome === 'completed') everyDropResent(t);
  }
}

/** The error to report: the wire's verdict first, since it names the protocol's fault; the story's as context. */
export function combineFailures(story: unknown, wire: unknown): unknown {
  if (wire === undefined) return story;
  if (story === undefined || !(wire instanceof ExpectationFailed)) return wire;
  const storyMessage = messageOf(story)
    .split('\n')[0]
    .replace(/; last lines:$/, '');
  return new ExpectationFailed(wire.expectation, `${wire.message} (and the story broke off: ${storyMessage})`);
}
