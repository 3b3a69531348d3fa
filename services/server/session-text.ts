import type { ClientCommand } from '../protocol/client-commands.ts';
import { FileChangedError } from './errors.ts';

/**
 * Control characters (but tab) in a message would reach other users' terminals as escape
 * sequences that clear screens, move cursors or forge lines; a chat message needs none.
 */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/u;

/** Why a chat text is refused, or null when it may be relayed. */
export function textProblem(text: string): string | null {
  return CONTROL_IN_TEXT.test(text) ? "Message can't contain control characters" : null;
}

// An errno message names the server's own path; the client needs only what happened.
export function failureReason(error: Error): string {
  if (error instanceof FileChangedError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `The file can't be read or sent (${code})` : error.message;
}

export function describe(command: ClientCommand): string {
  switch (command.type) {
    case 'msg_all':
      return `msg_all (${command.text.length} chars)`;
    case 'msg':
      return `msg to ${command.target} (${command.text.length} chars)`;
    case 'connect':
      return `connect ${JSON.stringify(command.name)}`;
    case 'download':
      return `download ${JSON.stringify(command.file)}`;
    case 'udp':
      return `udp ${command.port}`;
    default:
      return command.type;
  }
}

export function abbreviate(seqs: number[], max = 20): string {
  return seqs.length > max ? `${seqs.slice(0, max).join(',')},… (${seqs.length})` : seqs.join(',');
}
