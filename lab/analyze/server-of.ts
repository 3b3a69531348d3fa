import type { DecodedCapture } from '../pcap/index.ts';

/**
 * The server's address, read from the control lines: the host that answers `download|<file>` with `|N`
 * (or, failing that, the host clients send commands to). Null when the captures hold no control connection.
 */
export function serverOf(captures: DecodedCapture[]): string | null {
  const votes = new Map<string, number>();
  const vote = (ip: string, n: number) => votes.set(ip, (votes.get(ip) ?? 0) + n);
  for (const c of captures)
    for (const l of c.controlLines) {
      if (/^\|\d+$/.test(l.text)) vote(l.from.ip, 10);
      else if (/^(download|connect|udp|resend)\|/.test(l.text)) vote(l.to.ip, 1);
    }
  let best: string | null = null;
  for (const [ip, n] of votes) if (best === null || n > votes.get(best)!) best = ip;
  return best;
}
