import { ImpairmentError } from './impairment-errors.ts';
import { mulberry32 } from './prng.ts';

export interface DropPlanOptions {
  /** Chance, in percent, that any one transmission of a datagram is lost. */
  percent: number;
  seed: number;
  /** How many datagrams the download has (seq 0 … datagrams-1). */
  datagrams: number;
  /** Cap on consecutive losses of one seq, so a download always finishes. */
  maxConsecutive?: number;
}

export interface DropPlan {
  percent: number;
  seed: number;
  datagrams: number;
  maxConsecutive: number;
  /** seq → how many of its first transmissions are dropped (only seqs with ≥ 1). */
  drops: Array<{ seq: number; times: number }>;
  /** Sum of `times`: how many transmissions the link will drop. */
  totalDrops: number;
}

/**
 * nft's `numgen random` cannot be seeded, so seeded loss is turned into a
 * plan of deterministic drops instead: for each seq, draw how many of its
 * consecutive transmissions are lost (keep losing while rand < p), which is
 * what independent per-packet loss at p does to one datagram and its resends.
 */
export function seededDropPlan(options: DropPlanOptions): DropPlan {
  const { percent, seed, datagrams } = options;
  const maxConsecutive = options.maxConsecutive ?? 10;
  if (!(percent >= 0 && percent < 100)) throw new ImpairmentError(`loss percent ${percent} not in [0, 100)`);
  if (!Number.isInteger(datagrams) || datagrams < 0) throw new ImpairmentError(`datagrams ${datagrams} is not a count`);
  if (!Number.isInteger(seed)) throw new ImpairmentError(`seed ${seed} is not an integer`);
  const rand = mulberry32(seed);
  const p = percent / 100;
  const drops: DropPlan['drops'] = [];
  let totalDrops = 0;
  for (let seq = 0; seq < datagrams; seq++) {
    let times = 0;
    while (times < maxConsecutive && rand() < p) times++;
    if (times > 0) {
      drops.push({ seq, times });
      totalDrops += times;
    }
  }
  return { percent, seed, datagrams, maxConsecutive, drops, totalDrops };
}
