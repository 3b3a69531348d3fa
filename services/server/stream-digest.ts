import { createHash, type Hash } from 'node:crypto';

/** Reads `length` bytes of the file at `offset`: how the digest catches up on what was not streamed in order. */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

/** The hash of a whole file, as a `checksum|<algorithm>|<hex>` line names it. */
export const DIGEST_ALGORITHM = 'sha256';
const CATCH_UP_BLOCK = 64 * 1024;

/**
 * The SHA-256 of the file a download sends, computed from the very bytes the sender reads for
 * each datagram's first transmission, in order, so it costs no extra read and no memory that
 * grows with the file. Bytes that do not continue the hashed prefix (a read out of order) are
 * left out; whatever has not been hashed when the digest is asked for is read from the file then.
 */
export class StreamDigest {
  private readonly hash: Hash = createHash(DIGEST_ALGORITHM);
  private hashed = 0;
  private hex: string | null = null;
  private finishing: Promise<string> | null = null;

  constructor(readonly size: number) {
    if (size === 0) this.hex = this.hash.digest('hex');
  }

  /** Bytes of the file starting at `offset`, as read for sending; only the part that extends the hashed prefix counts. */
  add(offset: number, bytes: Uint8Array): void {
    if (this.finishing || this.hex !== null || offset > this.hashed) return;
    const end = Math.min(offset + bytes.length, this.size);
    if (end <= this.hashed) return;
    this.hash.update(bytes.subarray(this.hashed - offset, end - offset));
    this.hashed = end;
    if (this.hashed === this.size) this.hex = this.hash.digest('hex');
  }

  /** How many bytes from the start were hashed as they were sent. */
  get streamedBytes(): number {
    return this.hashed;
  }

  /** The file's digest, reading from the file only what was not streamed in order. */
  digest(read: ReadAt): Promise<string> {
    if (this.hex !== null) return Promise.resolve(this.hex);
    this.finishing ??= this.catchUp(read);
    return this.finishing;
  }

  private async catchUp(read: ReadAt): Promise<string> {
    while (this.hashed < this.size) {
      const length = Math.min(CATCH_UP_BLOCK, this.size - this.hashed);
      const block = await read(this.hashed, length);
      if (block.length !== length) throw new RangeError(`read ${block.length} of ${length} bytes at ${this.hashed}`);
      this.hash.update(block);
      this.hashed += length;
    }
    this.hex = this.hash.digest('hex');
    return this.hex;
  }
}
