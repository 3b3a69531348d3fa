import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShard, shardOf } from './shard.ts';

describe('--shard i/n', () => {
  it('splits a list into n contiguous parts that cover it exactly once, sizes differing by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 12 }), (length, count) => {
        const items = Array.from({ length }, (_, i) => i);
        const parts = Array.from({ length: count }, (_, i) => shardOf(items, { index: i + 1, count }));
        expect(parts.flat()).toEqual(items);
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives the remainder to the first shards, as Playwright does', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect([1, 2, 3].map((index) => shardOf(items, { index, count: 3 }))).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
      ['f', 'g'],
    ]);
  });

  it('reads i/n and refuses anything else with a coded error', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/2', '3/2', '1/0', '1-2', '', 'a/b'])
      expect(() => parseShard(bad), bad).toThrow(expect.objectContaining({ code: 'LAB_ERR_SHARD' }));
  });
});
