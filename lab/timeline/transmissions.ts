import type { UdpPacket } from '../pcap/index.ts';

/** A datagram copy at one capture point. */
export interface Seen {
  tsUs: number;
  frame: number;
  dataLength: number;
}

export interface Transmission {
  seq: number;
  /** 0 for the first transmission of a seq, 1 for its first resend, … */
  attempt: number;
  tsUs: number;
  frame: number;
  dropped: boolean;
  /** The copy the received side saw; null when dropped. */
  arrived: Seen | null;
  /** The same copy on the client's own capture, when there is one. */
  atClient: Seen | null;
}

export interface DatagramFlow {
  serverIp: string;
  clientIp: string;
  udpPort: number;
  fromUs: number;
  untilUs: number;
}

/** The download datagrams of one flow in a capture, grouped by seq, in time order. */
export function datagramTimes(udp: UdpPacket[], flow: DatagramFlow): Map<number, Seen[]> {
  const bySeq = new Map<number, Seen[]>();
  for (const p of udp) {
    if (!p.datagram || p.src.ip !== flow.serverIp || p.dst.ip !== flow.clientIp || p.dst.port !== flow.udpPort)
      continue;
    if (p.tsUs < flow.fromUs || p.tsUs >= flow.untilUs) continue;
    const seen = bySeq.get(p.datagram.seq) ?? [];
    seen.push({ tsUs: p.tsUs, frame: p.frame, dataLength: p.datagram.dataLength });
    bySeq.set(p.datagram.seq, seen);
  }
  for (const seen of bySeq.values()) seen.sort((a, b) => a.tsUs - b.tsUs);
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
  sent: Seen[],
  received: Seen[],
  toleranceUs = 1000,
): { transmissions: Transmission[]; unmatchedArrivals: Seen[] } {
  const transmissions: Transmission[] = sent.map((s, attempt) => ({
    seq,
    attempt,
    tsUs: s.tsUs,
    frame: s.frame,
    dropped: true,
    arrived: null,
    atClient: null,
  }));
  const unmatchedArrivals: Seen[] = [];
  for (const arrival of received) {
    let pick: Transmission | undefined;
    for (const t of transmissions) if (t.dropped && t.tsUs <= arrival.tsUs + toleranceUs) pick = t;
    if (!pick) unmatchedArrivals.push(arrival);
    else {
      pick.dropped = false;
      pick.arrived = arrival;
    }
  }
  return { transmissions, unmatchedArrivals };
}

/** Nothing is lost between the router and the client: the client's copies follow the arrivals one for one. */
export function pairAtClient(transmissions: Transmission[], atClient: Seen[]): void {
  const arrived = transmissions.filter((t) => t.arrived).sort((a, b) => a.arrived!.tsUs - b.arrived!.tsUs);
  arrived.forEach((t, i) => (t.atClient = atClient[i] ?? null));
}
