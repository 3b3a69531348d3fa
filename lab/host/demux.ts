import type Docker from 'dockerode';
import type { Writable } from 'node:stream';

// dockerode types its modem as `any`; this is the one call the lab makes on it.
interface Demuxer {
  demuxStream(stream: NodeJS.ReadableStream, stdout: Writable, stderr: Writable): void;
}

/** Splits a multiplexed stream of the engine (an attach or exec without a TTY) into its stdout and stderr. */
export function demux(
  container: Docker.Container,
  stream: NodeJS.ReadableStream,
  stdout: Writable,
  stderr: Writable,
): void {
  (container.modem as Demuxer).demuxStream(stream, stdout, stderr);
}
