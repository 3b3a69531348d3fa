/** Test support: writes classic pcap files from frames the tests synthesise. */
export interface FrameRecord {
  tsUs: number;
  frame: Uint8Array;
  /** The length on the wire, when the capture kept less (a snap length). */
  originalLength?: number;
}

export interface PcapWriteOptions {
  linkType?: number;
  /** Nanosecond timestamps: `tsNs` of each record, or its `tsUs` × 1000. */
  nanosecond?: boolean;
  bigEndian?: boolean;
  snapLength?: number;
}

export function writePcap(records: FrameRecord[], options: PcapWriteOptions = {}): Buffer {
  const le = !options.bigEndian;
  const header = Buffer.alloc(24);
  const u32 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  const u16 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  u32(header, options.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  u16(header, 2, 4);
  u16(header, 4, 6);
  u32(header, options.snapLength ?? 262144, 16);
  u32(header, options.linkType ?? 1, 20);
  const parts: Buffer[] = [header];
  for (const r of records) {
    const h = Buffer.alloc(16);
    u32(h, Math.floor(r.tsUs / 1e6), 0);
    u32(h, options.nanosecond ? (r.tsUs % 1e6) * 1000 + 789 : r.tsUs % 1e6, 4);
    u32(h, r.frame.length, 8);
    u32(h, r.originalLength ?? r.frame.length, 12);
    parts.push(h, Buffer.from(r.frame));
  }
  return Buffer.concat(parts);
}
