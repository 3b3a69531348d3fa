import type { Socket } from 'node:net';
import { encodeLine } from '../protocol/line-codec.ts';

/** How long a peer told to go may take to close its side before the server drops the socket. */
export const CLOSE_GRACE_MS = 1000;

/**
 * Sends a last line and closes. A peer that never closes its own side would keep a
 * half-closed socket (and its place) forever, so the socket is destroyed after a grace
 * period; by then the line has long been delivered.
 */
export function closeWithLine(socket: Socket, line: string, graceMs = CLOSE_GRACE_MS): void {
  socket.on('error', () => {});
  const timer = setTimeout(() => socket.destroy(), graceMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.end(encodeLine(line));
}
