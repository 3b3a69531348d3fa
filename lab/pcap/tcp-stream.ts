import { LineDecoder } from '../../services/protocol/line-codec.ts';
import type { Endpoint } from './endpoint.ts';

export interface TcpSegmentIn {
  /** Frame number in the capture file (0 where unknown). */
  frame?: number;
  tsUs: number;
  seq: number;
  syn: boolean;
  payload: Buffer;
}

export interface ControlLine {
  /** Time of the segment whose bytes completed this line. */
  tsUs: number;
  /** Frame number of that segment in its capture file. */
  frame: number;
  from: Endpoint;
  to: Endpoint;
  /** The line without its `\n` (and without a `\r` before it). */
  text: string;
}

export interface TcpDirection {
  from: Endpoint;
  to: Endpoint;
  lines: ControlLine[];
  /** Bytes after the last `\n`, and whether a hole in the sequence space cut the stream short. */
  trailing: string;
  gap: boolean;
}

/**
 * Reassembles one direction of one connection. Segments are given in capture
 * order; retransmissions, duplicates and overlaps are tolerated, the first copy
 * of a byte wins. Without a SYN in the capture the lowest sequence number seen
 * is taken as the start of the stream.
 */
export function reassembleDirection(from: Endpoint, to: Endpoint, segments: TcpSegmentIn[]): TcpDirection {
  const base = streamBase(segments);
  const pending = new Map<number, Buffer>();
  const lines: ControlLine[] = [];
  let next = 0;
  // The protocol's own splitter, without its length limit: a capture shows every byte that was sent.
  const decoder = new LineDecoder(Number.POSITIVE_INFINITY);
  for (const seg of segments) {
    if (seg.payload.length === 0) continue;
    // Signed 32-bit difference: sequence numbers wrap, control streams stay far below 2 GiB.
    const rel = (seg.seq + (seg.syn ? 1 : 0) - base) | 0;
    const held = pending.get(rel);
    if (!held || held.length < seg.payload.length) pending.set(rel, seg.payload);
    const fresh = drain(pending, next);
    if (fresh.length === 0) continue;
    next += fresh.reduce((n, b) => n + b.length, 0);
    for (const chunk of fresh)
      for (const e of decoder.push(chunk))
        if (e.kind === 'line') lines.push({ tsUs: seg.tsUs, frame: seg.frame ?? 0, from, to, text: e.text });
  }
  return { from, to, lines, trailing: decoder.pendingText, gap: pending.size > 0 };
}

function streamBase(segments: TcpSegmentIn[]): number {
  const syn = segments.find((s) => s.syn);
  if (syn) return (syn.seq + 1) >>> 0;
  const first = segments[0]?.seq ?? 0;
  let lowest = first;
  for (const s of segments) if (((s.seq - lowest) | 0) < 0) lowest = s.seq;
  return lowest;
}

/** Takes every held segment that now continues the stream at `next`; returns the new bytes in order. */
function drain(pending: Map<number, Buffer>, next: number): Buffer[] {
  const out: Buffer[] = [];
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const [rel, data] of pending) {
      const end = rel + data.length;
      if (end <= next) pending.delete(rel);
      else if (rel <= next) {
        out.push(data.subarray(next - rel));
        next = end;
        pending.delete(rel);
        progressed = true;
      }
    }
  }
  return out;
}
