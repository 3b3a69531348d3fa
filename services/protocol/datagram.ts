/**
 * The download datagram: `<seq><:><data>`, seq a 4-byte big-endian unsigned
 * integer counting from 0, then the byte ':', then up to CHUNK_SIZE bytes of the file.
 */
export const CHUNK_SIZE = 2043;
export const SEQ_BYTES = 4;
export const HEADER_SIZE = SEQ_BYTES + 1;
export const MAX_DATAGRAM_SIZE = HEADER_SIZE + CHUNK_SIZE;
const SEPARATOR = 0x3a; // ':'
const MAX_SEQ = 0xffff_ffff;

export interface Datagram {
  seq: number;
  data: Uint8Array;
}

export function encodeDatagram(seq: number, data: Uint8Array): Buffer {
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ) throw new RangeError(`seq out of range: ${seq}`);
  if (data.length > CHUNK_SIZE) throw new RangeError(`datagram payload of ${data.length} bytes exceeds ${CHUNK_SIZE}`);
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

/** Returns null for anything that is not a well-formed datagram; never throws. */
export function decodeDatagram(buf: Uint8Array): Datagram | null {
  if (buf.length < HEADER_SIZE || buf.length > MAX_DATAGRAM_SIZE) return null;
  if (buf[SEQ_BYTES] !== SEPARATOR) return null;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return { seq: view.getUint32(0, false), data: buf.subarray(HEADER_SIZE) };
}

/** N = ceil(size / CHUNK_SIZE): how many datagrams carry a file of `size` bytes. */
export function datagramCount(size: number): number {
  return Math.ceil(size / CHUNK_SIZE);
}

/** H = ceil(N × pause / 100): the server sends seq 0..H-1, then waits for `proceed`. */
export function pauseBoundary(count: number, pausePercent: number): number {
  return Math.min(count, Math.ceil((count * pausePercent) / 100));
}

/** The byte length datagram `seq` must carry for a file of `size` bytes. */
export function expectedPayloadLength(seq: number, size: number): number {
  return Math.max(0, Math.min(CHUNK_SIZE, size - seq * CHUNK_SIZE));
}
