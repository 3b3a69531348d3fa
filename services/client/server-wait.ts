import type { ServerMessage } from '../protocol/server-messages.ts';
import type { ControlConnection } from './control-connection.ts';
import { nudgeUntilStopped } from './reply-nudger.ts';

/**
 * Resolves with the first server message `pick` accepts, or null after `timeoutMs` or when
 * the connection closes or `signal` aborts: a silent server must never hang the client.
 * Meanwhile the connection is nudged, so that a lost answer comes without TCP's long timeout.
 */
export function waitForServer<T extends ServerMessage>(
  connection: ControlConnection,
  pick: (message: ServerMessage) => message is T,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T | null> {
  return new Promise((resolve) => {
    const stopNudging = nudgeUntilStopped(connection);
    const finish = (value: T | null) => {
      stopNudging();
      clearTimeout(timer);
      offMessage();
      offClose();
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => finish(null);
    const timer = setTimeout(() => finish(null), timeoutMs);
    const offMessage = connection.onMessage((message) => {
      if (pick(message)) finish(message);
    });
    const offClose = connection.onClose(() => finish(null));
    if (connection.closed || signal?.aborted) return finish(null);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const isType =
  <K extends ServerMessage['type']>(...types: K[]) =>
  (message: ServerMessage): message is Extract<ServerMessage, { type: K }> =>
    (types as string[]).includes(message.type);
