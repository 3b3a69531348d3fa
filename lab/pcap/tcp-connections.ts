import { formatEndpoint } from './endpoint.ts';
import type { TcpSegment } from './packets.ts';
import { reassembleDirection, type TcpDirection, type TcpSegmentIn } from './tcp-stream.ts';

interface Epoch {
  segment: TcpSegment;
  isn: number | null;
  segments: TcpSegmentIn[];
}

/**
 * Groups segments by direction (src ip:port → dst ip:port). A SYN with a new
 * initial sequence number on a known 4-tuple starts a new connection, so a
 * reused client port does not splice two conversations together.
 */
export class TcpConnections {
  private readonly epochs: Epoch[] = [];
  private readonly current = new Map<string, Epoch>();

  push(segment: TcpSegment, payload: Buffer): void {
    const key = `${formatEndpoint(segment.src)}>${formatEndpoint(segment.dst)}`;
    let epoch = this.current.get(key);
    if (!epoch || (segment.syn && epoch.isn !== null && epoch.isn !== segment.seq)) {
      epoch = { segment, isn: null, segments: [] };
      this.epochs.push(epoch);
      this.current.set(key, epoch);
    }
    if (segment.syn) epoch.isn = segment.seq;
    epoch.segments.push({ frame: segment.frame, tsUs: segment.tsUs, seq: segment.seq, syn: segment.syn, payload });
  }

  finish(): TcpDirection[] {
    return this.epochs.map((e) => reassembleDirection(e.segment.src, e.segment.dst, e.segments));
  }
}
