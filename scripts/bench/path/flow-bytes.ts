import { readFile } from 'node:fs/promises';

/** Bytes each destination address received, in bins of `binMs`, from a classic pcap of Ethernet frames. */
export interface FlowBins {
  binMs: number;
  /** destination IP → bytes per bin (bin 0 starts at the capture's first packet). */
  bytes: Map<string, number[]>;
}

/**
 * Reads only what a snap length of 64 keeps: the frame header's lengths and the IPv4 header. The
 * bytes of a packet are its full length on the wire (orig_len), whatever was captured of it.
 */
export async function flowBins(file: string, binMs = 100): Promise<FlowBins> {
  const buf = await readFile(file);
  if (buf.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${file}: not a little-endian microsecond pcap`);
  const bytes = new Map<string, number[]>();
  let first: number | null = null;
  for (let off = 24; off + 16 <= buf.length;) {
    const ts = buf.readUInt32LE(off) * 1e6 + buf.readUInt32LE(off + 4);
    const caplen = buf.readUInt32LE(off + 8);
    const len = buf.readUInt32LE(off + 12);
    const frame = off + 16;
    off = frame + caplen;
    if (caplen < 34 || buf.readUInt16BE(frame + 12) !== 0x0800) continue;
    const dst = [...buf.subarray(frame + 30, frame + 34)].join('.');
    first ??= ts;
    const bin = Math.floor((ts - first) / 1000 / binMs);
    const bins = bytes.get(dst) ?? [];
    while (bins.length <= bin) bins.push(0);
    bins[bin] += len;
    bytes.set(dst, bins);
  }
  return { binMs, bytes };
}

/** Bins in which every one of `ips` received something: the time the flows overlapped. */
export function overlap(bins: FlowBins, ips: string[]): { from: number; to: number } {
  const spans = ips.map((ip) => {
    const b = bins.bytes.get(ip) ?? [];
    return { from: b.findIndex((v) => v > 0), to: b.length - 1 - [...b].reverse().findIndex((v) => v > 0) };
  });
  // Leave out the first and last bin of the overlap: a flow starts and ends mid-bin.
  return { from: Math.max(...spans.map((s) => s.from)) + 1, to: Math.min(...spans.map((s) => s.to)) - 1 };
}

/** Mbit/s of `ip` between bins `from` and `to` (both included). */
export function mbitIn(bins: FlowBins, ip: string, from: number, to: number): number {
  const b = bins.bytes.get(ip) ?? [];
  const total = b.slice(from, to + 1).reduce((x, y) => x + y, 0);
  return (total * 8) / ((to - from + 1) * bins.binMs * 1000);
}

export function jainIndex(values: number[]): number {
  const sum = values.reduce((a, b) => a + b, 0);
  return (sum * sum) / (values.length * values.reduce((a, b) => a + b * b, 0));
}
