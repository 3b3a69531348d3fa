import { DEFAULT_PORT_RANGE } from '../protocol/defaults.ts';
import net from 'node:net';
import type { ServerAddress } from './control-connection.ts';

export interface AddressAnswers {
  bind?: string;
  server?: string;
  port?: number;
}

export type Ask = (prompt: string) => Promise<string | null>;

/**
 * Asks where to connect from and to, as the seed's step 3. `preset` (the flags) answers a
 * prompt without asking; null means stdin ended.
 */
export async function askServerAddress(
  ask: Ask,
  print: (line: string) => void,
  preset: AddressAnswers = {},
): Promise<ServerAddress | null> {
  let bind = preset.bind;
  while (bind === undefined) {
    const answer = await ask('Your IP address (blank for any): ');
    if (answer === null) return null;
    const text = answer.trim();
    if (text === '' || net.isIP(text)) bind = text;
    else print(`Not an IP address: ${text}`);
  }
  let server = preset.server;
  while (server === undefined) {
    const answer = await ask('Server IP address: ');
    if (answer === null) return null;
    if (answer.trim() !== '') server = answer.trim();
    else print('The server address is needed.');
  }
  let port = preset.port;
  while (port === undefined) {
    const answer = await ask(`Server port (${DEFAULT_PORT_RANGE}): `);
    if (answer === null) return null;
    port = parsePort(answer) ?? undefined;
    if (port === undefined) print(`Not a port number: ${answer.trim()}`);
  }
  return { bind: bind === '' ? undefined : bind, host: server, port };
}

/** Any TCP port is taken, not only the default range: a server may be started on another one. */
export function parsePort(text: string): number | null {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  return port >= 1 && port <= 65_535 ? port : null;
}
