import path from 'node:path';
import type { DecodedCapture } from '../pcap/index.ts';
import type { TimelineInput } from '../timeline/index.ts';

function datagramsFrom(c: DecodedCapture, serverIp: string): number {
  let n = 0;
  for (const p of c.udp) if (p.datagram && p.src.ip === serverIp) n++;
  return n;
}

/**
 * Which capture plays which part. The one holding the most of the server's datagrams is nearest the
 * server: what was sent. The others, taken together, are what arrived (a client's own capture each):
 * drops are what the first has and they lack. A single capture is both, and shows no drops.
 */
export function captureRoles(captures: DecodedCapture[], serverIp: string): Omit<TimelineInput, 'serverIp'> {
  const ranked = [...captures].sort((a, b) => datagramsFrom(b, serverIp) - datagramsFrom(a, serverIp));
  const [sent, ...others] = ranked;
  if (others.length === 0) return { sent, received: sent };
  const udp = others.flatMap((c) => c.udp).sort((a, b) => a.tsUs - b.tsUs);
  const received: DecodedCapture = {
    ...others[0],
    source: others.map((c) => path.basename(c.source)).join('+'),
    udp,
    packets: udp,
  };
  return { sent, received, atClients: others };
}
