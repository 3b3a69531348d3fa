import type Docker from 'dockerode';

/**
 * Waits for the end of a build or load stream; the engine reports failure inside the stream (an
 * `error` event), not by its HTTP status, so the events are read. Rejects with what it said.
 */
export function followToEnd(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  fail: (why: string) => Error,
): Promise<void> {
  return new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, events: Array<{ error?: string }>) => {
      const failed = err?.message ?? events.find((e) => e.error)?.error;
      if (failed) reject(fail(failed));
      else resolve();
    }),
  );
}
