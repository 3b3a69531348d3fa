import { AloneGate } from './alone-gate.ts';

export interface PoolOptions<T, S> {
  /** Items that must have their slot's group (an engine) to themselves: they go first, each alone. */
  alone?: (item: T) => boolean;
  /** The group a slot belongs to (its engine): an item alone keeps the other slots of its group idle. */
  groupOf?: (slot: S) => unknown;
}

/**
 * Runs `work` on every item, one item per slot at a time, and returns the results in the items'
 * order, whichever finished first. A slot takes the next item as soon as it is free; items that
 * must run alone are taken first (so that the rest fill every slot afterwards) and wait until
 * their group is empty.
 */
export async function runPooled<T, S, R>(
  items: readonly T[],
  slots: readonly S[],
  work: (item: T, slot: S) => Promise<R>,
  opts: PoolOptions<T, S> = {},
): Promise<R[]> {
  const alone = opts.alone ?? (() => false);
  const groupOf = opts.groupOf ?? (() => undefined);
  const gates = new Map<unknown, AloneGate>();
  const gateOf = (slot: S) => {
    const key = groupOf(slot);
    if (!gates.has(key)) gates.set(key, new AloneGate());
    return gates.get(key)!;
  };
  const order = [...items.keys()].sort((a, b) => Number(alone(items[b])) - Number(alone(items[a])) || a - b);
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (slot: S) => {
    const gate = gateOf(slot);
    while (next < order.length) {
      const i = order[next++];
      const itemAlone = alone(items[i]);
      await gate.enter(itemAlone);
      try {
        results[i] = await work(items[i], slot);
      } finally {
        gate.leave(itemAlone);
      }
    }
  };
  await Promise.all(slots.map(worker));
  return results;
}
