/**
 * Without --rate, a download whose client reports its progress is paced to its path under this
 * ceiling, far above any path these programs meet. It guards against reports that lie; it is not
 * an operating point: a sender paced at exactly its path's rate leaves the link idle each time its
 * event loop is late, since no queue builds up to cover the moment (1 Gbit/s paths lost a tenth of
 * their rate that way while this ceiling was 1000).
 */
export const DEFAULT_CEILING_MBIT = 10_000;
/** Without --rate, a client that sends no progress reports (the seed's) is sent at exactly this rate. */
export const DEFAULT_FIXED_RATE_MBIT = 1000;

/** Bytes per second; Infinity for no limit. */
export interface RateLimits {
  /** What the rate controller never exceeds. */
  ceiling: number;
  /** The rate of a download no report steers: before the first one, for good with a silent client or --fixed-rate. */
  fixed: number;
}

/** The limits `--rate <mbit>` sets: both at the given rate (0 for none), or the defaults when it was not given. */
export function rateLimits(rateMbit: number | undefined): RateLimits {
  return {
    ceiling: bytesPerSecond(rateMbit ?? DEFAULT_CEILING_MBIT),
    fixed: bytesPerSecond(rateMbit ?? DEFAULT_FIXED_RATE_MBIT),
  };
}

function bytesPerSecond(mbit: number): number {
  return mbit > 0 ? (mbit * 1e6) / 8 : Infinity;
}
