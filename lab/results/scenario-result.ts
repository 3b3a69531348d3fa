import type { DownloadTimeline } from '../timeline/index.ts';
import type { DatagramCounts, FailureInfo, ScenarioResult } from './types.ts';

/** Sums the datagram counts of every download a scenario captured. */
export function datagramCounts(timelines: DownloadTimeline[]): DatagramCounts {
  return timelines.reduce(
    (sum, t) => ({
      sent: sum.sent + t.counts.sent,
      dropped: sum.dropped + t.counts.dropped,
      resent: sum.resent + t.counts.resent,
    }),
    { sent: 0, dropped: 0, resent: 0 },
  );
}

/** Keeps what a reader of the results needs from whatever a scenario threw. */
export function failureFrom(err: unknown): FailureInfo {
  if (!(err instanceof Error)) return { message: String(err), code: null };
  const { code, expectation } = err as Error & { code?: unknown; expectation?: unknown };
  return {
    message: err.message,
    code: typeof code === 'string' ? code : null,
    ...(typeof expectation === 'string' ? { expectation } : {}),
    ...(err.stack ? { stack: err.stack } : {}),
  };
}

export function scenarioResult(
  name: string,
  durationMs: number,
  timelines: DownloadTimeline[],
  error?: unknown,
): ScenarioResult {
  return {
    name,
    passed: error === undefined,
    durationMs: Math.round(durationMs),
    datagrams: datagramCounts(timelines),
    failure: error === undefined ? null : failureFrom(error),
  };
}
