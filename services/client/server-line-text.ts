import type { ServerMessage } from '../protocol/server-messages.ts';

/**
 * What the user sees for a server line; null when another part of the client reports it
 * (the download start). Lines the protocol does not know are shown, never acted upon.
 */
export function serverLineText(message: ServerMessage, line: string): string | null {
  switch (message.type) {
    case 'msg_all':
      return `${message.from} (to all): ${message.text}`;
    case 'msg':
      return `${message.from} (private): ${message.text}`;
    case 'users':
      return `Online users: ${listOrNone(message.names)}`;
    case 'files':
      return `Files: ${listOrNone(message.names)}`;
    case 'download_start':
    case 'checksum':
      return null;
    case 'unknown':
      return `server: ${line}`;
    default:
      return line;
  }
}

// A name is never empty, so `users|` from a sloppy server still reads as nobody.
function listOrNone(names: readonly string[]): string {
  const shown = names.filter((name) => name !== '');
  return shown.length === 0 ? 'none' : shown.join(', ');
}
