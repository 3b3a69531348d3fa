import { describe, expect, it } from 'vitest';
import { rateLimits } from './rate-limits.ts';

const mbit = (bytesPerSecond: number) => (bytesPerSecond * 8) / 1e6;

describe('rate limits of a download', () => {
  it('without --rate, lets a reporting client go past 1 Gbit/s and sends a silent one at exactly 1 Gbit/s', () => {
    const limits = rateLimits(undefined);
    expect(mbit(limits.ceiling)).toBe(10_000);
    expect(mbit(limits.fixed)).toBe(1000);
  });

  it('with --rate, holds both to it', () => {
    expect(rateLimits(40)).toEqual({ ceiling: 5_000_000, fixed: 5_000_000 });
  });

  it('with --rate 0, sets no limit', () => {
    expect(rateLimits(0)).toEqual({ ceiling: Infinity, fixed: Infinity });
  });
});
