import type { UdpPacket } from '../pcap/index.ts';

export interface Transmission {
  seq: number;
  /** 0 for the first transmission of a seq, 1 for its first resend, … */
  attempt: number;
  tsUs: number;
  dropped: boolean;
  /** When the received side saw this copy; null when dropped. */
  arrivedUs: number | null;
}

export interface DatagramFlow {
  serverIp: string;
  clientIp: string;
  udpPort: number;
  fromUs: number;
  untilUs: number;
}

/** The download datagrams of one flow in a capture, grouped by seq, times in order. */
export function datagramTimes(udp: UdpPacket[], flow: DatagramFlow): Map<number, number[]> {
  const bySeq = new Map<number, number[]>();
  for (const p of udp) {
    if (!p.datagram || p.src.ip !== flow.serverIp || p.dst.ip !== flow.clientIp || p.dst.port !== flow.udpPort)
      continue;
    if (p.tsUs < flow.fromUs || p.tsUs >= flow.untilUs) continue;
    const times = bySeq.get(p.datagram.seq) ?? [];
    times.push(p.tsUs);
    bySeq.set(p.datagram.seq, times);
  }
  for (const times of bySeq.values()) times.sort((a, b) => a - b);
  return bySeq;
}

/**
 * Pairs each copy the received side saw with the latest not-yet-paired
 * transmission of the same seq that left the sent side before it. Pairing by
 * position alone would blame the wrong copy when a first transmission is
 * lost and its resend arrives; resends are ≥100 ms apart while the router
 * adds microseconds, so "latest before" is unambiguous. Unpaired
 * transmissions are the link's drops; unpaired arrivals are returned too.
 */
export function matchTransmissions(
  seq: number,
  sent: number[],
  received: number[],
  toleranceUs = 1000,
): { transmissions: Transmission[]; unmatchedArrivals: number[] } {
  const transmissions: Transmission[] = sent.map((tsUs, attempt) => ({
    seq,
    attempt,
    tsUs,
    dropped: true,
    arrivedUs: null,
  }));
  const unmatchedArrivals: number[] = [];
  for (const arrival of received) {
    let pick: Transmission | undefined;
    for (const t of transmissions) if (t.dropped && t.tsUs <= arrival + toleranceUs) pick = t;
    if (!pick) unmatchedArrivals.push(arrival);
    else {
      pick.dropped = false;
      pick.arrivedUs = arrival;
    }
  }
  return { transmissions, unmatchedArrivals };
}
