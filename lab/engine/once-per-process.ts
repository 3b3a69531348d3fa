/**
 * Runs `work` at most once per process and shares its promise; a failure is not
 * remembered, so the next caller tries again (an engine still starting, say).
 */
export function oncePerProcess<T>(work: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= work().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
