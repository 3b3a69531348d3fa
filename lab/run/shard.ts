import { LabError } from '../errors/lab-error.ts';

export interface Shard {
  /** 1-based, as on the command line. */
  index: number;
  count: number;
}

export class ShardError extends LabError {
  constructor(text: string, why: string) {
    super('LAB_ERR_SHARD', `--shard ${text}: ${why} (expected i/n with 1 ≤ i ≤ n, e.g. --shard 2/4)`);
  }
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new ShardError(text, 'not of the form i/n');
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1 || index < 1 || index > count) throw new ShardError(text, `${index} is not between 1 and ${count}`);
  return { index, count };
}

/**
 * The shard's part of an ordered list, as Playwright splits tests: n contiguous runs whose sizes
 * differ by at most one, the first ones taking the remainder. It depends on the list alone, so
 * n CI runners given 1/n … n/n together cover every item exactly once.
 */
export function shardOf<T>(items: readonly T[], shard: Shard): T[] {
  const base = Math.floor(items.length / shard.count);
  const extra = items.length % shard.count;
  const from = base * (shard.index - 1) + Math.min(extra, shard.index - 1);
  const size = base + (shard.index <= extra ? 1 : 0);
  return items.slice(from, from + size);
}
