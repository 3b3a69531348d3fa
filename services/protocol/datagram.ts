/**
 * The download datagram: `<seq><:><data>`, seq a 4-byte big-endian unsigned
 * integer counting from 0, then the byte ':', then up to one block of the file.
 * A block is CHUNK_SIZE bytes, the seed's, unless client and server agreed on
 * another with `blksize|…` (docs/PROTOCOL.md, *Block size*).
 */
export const CHUNK_SIZE = 2043;
export const SEQ_BYTES = 4;
export const HEADER_SIZE = SEQ_BYTES + 1;
export const MAX_DATAGRAM_SIZE = HEADER_SIZE + CHUNK_SIZE;
/** The smallest block `blksize|…` may ask for: below it the header and the lines of a download outweigh its data. */
export const MIN_BLOCK_SIZE = 512;
/** The largest: a datagram must stay under UDP's 65,507 bytes over IPv4 and 65,487 over IPv6. */
export const MAX_BLOCK_SIZE = 65_000;
const SEPARATOR = 0x3a; // ':'
const MAX_SEQ = 0xffff_ffff;

export interface Datagram {
  seq: number;
  data: Uint8Array;
}

export function encodeDatagram(seq: number, data: Uint8Array, block = CHUNK_SIZE): Buffer {
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ) throw new RangeError(`seq out of range: ${seq}`);
  if (data.length > block) throw new RangeError(`datagram payload of ${data.length} bytes exceeds ${block}`);
  const out = Buffer.allocUnsafe(HEADER_SIZE + data.length);
  writeDatagramHeader(out, seq);
  out.set(data, HEADER_SIZE);
  return out;
}

/** Writes the header of datagram `seq` at the start of `buf`, whose data follows at HEADER_SIZE: a sender reuses its buffers. */
export function writeDatagramHeader(buf: Buffer, seq: number): void {
  buf.writeUInt32BE(seq, 0);
  buf[SEQ_BYTES] = SEPARATOR;
}

/** Returns null for anything that is not a well-formed datagram of blocks of `block` bytes; never throws. */
export function decodeDatagram(buf: Uint8Array, block = CHUNK_SIZE): Datagram | null {
  if (buf.length < HEADER_SIZE || buf.length > HEADER_SIZE + block) return null;
  if (buf[SEQ_BYTES] !== SEPARATOR) return null;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return { seq: view.getUint32(0, false), data: buf.subarray(HEADER_SIZE) };
}

/** N = ceil(size / block): how many datagrams carry a file of `size` bytes. */
export function datagramCount(size: number, block = CHUNK_SIZE): number {
  return Math.ceil(size / block);
}

/** H = ceil(N × pause / 100): the server sends seq 0..H-1, then waits for `proceed`. */
export function pauseBoundary(count: number, pausePercent: number): number {
  return Math.min(count, Math.ceil((count * pausePercent) / 100));
}

/** The byte length datagram `seq` must carry for a file of `size` bytes. */
export function expectedPayloadLength(seq: number, size: number, block = CHUNK_SIZE): number {
  return Math.max(0, Math.min(block, size - seq * block));
}
