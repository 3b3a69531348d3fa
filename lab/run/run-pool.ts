/**
 * Runs `work` on every item, one item per slot at a time, and returns the results in the items'
 * order, whichever finished first. A slot takes the next item as soon as it is free.
 */
export async function runPooled<T, S, R>(
  items: readonly T[],
  slots: readonly S[],
  work: (item: T, slot: S) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (slot: S) => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], slot);
    }
  };
  await Promise.all(slots.map(worker));
  return results;
}
