/**
 * What the server, the client and the lab assume unless told otherwise. They must agree: a client
 * whose pause differs from the server's waits at the wrong datagram, and the lab judges a download
 * against the pause the clients expect.
 */
export const DEFAULT_PAUSE_PERCENT = 50;

/** The server listens on all of these at once; the client's port prompt names them. */
export const DEFAULT_PORTS = { first: 55_000, last: 55_015 } as const;
export const DEFAULT_PORT_RANGE = `${DEFAULT_PORTS.first}-${DEFAULT_PORTS.last}`;

export type PauseParse = { ok: true; percent: number } | { ok: false; reason: string };

/**
 * `--pause <percent>`, the same for the server, the client and the lab: a whole percentage from
 * 1 to 100. H = ⌈N × percent / 100⌉ (docs/PROTOCOL.md); 100 means no pause, and 0 would pause
 * before the first datagram, which no server offers.
 */
export function parsePausePercent(text: string): PauseParse {
  const percent = Number(text);
  if (!/^\d{1,3}$/.test(text) || percent < 1 || percent > 100)
    return { ok: false, reason: 'expected a whole number from 1 to 100' };
  return { ok: true, percent };
}
