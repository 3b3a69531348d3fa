/** Test support: writes classic pcap files from frames the tests synthesise. */
export interface FrameRecord {
  tsUs: number;
  frame: Uint8Array;
}

export interface PcapWriteOptions {
  linkType?: number;
  /** Write the nanosecond-resolution magic (which the reader must refuse). */
  nanosecond?: boolean;
  bigEndian?: boolean;
}

export function writePcap(records: FrameRecord[], options: PcapWriteOptions = {}): Buffer {
  const le = !options.bigEndian;
  const header = Buffer.alloc(24);
  const u32 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  const u16 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  u32(header, options.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  u16(header, 2, 4);
  u16(header, 4, 6);
  u32(header, 262144, 16);
  u32(header, options.linkType ?? 1, 20);
  const parts: Buffer[] = [header];
  for (const r of records) {
    const h = Buffer.alloc(16);
    u32(h, Math.floor(r.tsUs / 1e6), 0);
    u32(h, r.tsUs % 1e6, 4);
    u32(h, r.frame.length, 8);
    u32(h, r.frame.length, 12);
    parts.push(h, Buffer.from(r.frame));
  }
  return Buffer.concat(parts);
}

/** The first bytes of a pcapng file: a Section Header Block, little-endian. */
export function pcapngPrefix(): Buffer {
  const shb = Buffer.alloc(28);
  shb.writeUInt32LE(0x0a0d0d0a, 0);
  shb.writeUInt32LE(28, 4);
  shb.writeUInt32LE(0x1a2b3c4d, 8);
  shb.writeUInt16LE(1, 12);
  shb.writeBigInt64LE(-1n, 16);
  shb.writeUInt32LE(28, 24);
  return shb;
}
