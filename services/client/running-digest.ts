import { createHash } from 'node:crypto';
import type { ReadHeld } from './duplicate-check.ts';

/** How much a catch-up reads back at once: one call for many datagrams. */
const CATCH_UP_DATAGRAMS = 256;

/**
 * SHA-256 of the download's bytes, computed while they arrive, so that checking the file
 * against the server's checksum costs nothing at the end: hashing a 50 MB file afterwards took
 * longer than a quarter of its download on a 1 Gbit/s path.
 *
 * Datagrams that arrive in order are hashed as they come. One that fills a gap lets the hash
 * catch up: what arrived beyond the gap meanwhile is read back (from the write window or the
 * page cache). A held seq that is replaced (fetched again after a mismatch) spoils the digest,
 * and the caller hashes the file itself.
 */
export class RunningDigest {
  private readonly hash = createHash('sha256');
  /** The first seq not hashed yet. */
  private next = 0;
  private catchingUp: Promise<void> | null = null;
  private spoiled = false;
  private result: string | null = null;
  /** One buffer for every catch-up: a digest held up by a lost datagram may read back most of the file. */
  private scratch: Buffer | null = null;

  constructor(
    private readonly count: number,
    private readonly chunkSize: number,
    /** Bytes of a seq: the chunk size, but for the last one. */
    private readonly lengthOf: (seq: number) => number,
    private readonly held: (seq: number) => boolean,
    private readonly readHeld: ReadHeld,
  ) {}

  /** A datagram not held before was stored at its offset. */
  onStored(seq: number, data: Uint8Array): void {
    if (this.spoiled) return;
    if (seq < this.next) return void (this.spoiled = true);
    if (seq !== this.next || this.catchingUp) return;
    this.hash.update(data);
    this.next++;
    if (this.next < this.count && this.held(this.next)) this.catchUp();
  }

  /** A held seq was given up (to be fetched again): the bytes hashed for it may not stay. */
  onForgotten(seq: number): void {
    if (seq < this.next) this.spoiled = true;
  }

  /** The whole file's digest in hex, or null when the running one cannot tell (the caller hashes the file). */
  async digest(): Promise<string | null> {
    if (this.result !== null) return this.result;
    if (!this.spoiled && this.next < this.count && this.held(this.next)) this.catchUp();
    while (this.catchingUp) await this.catchingUp;
    // A catch-up that failed to read spoils the digest too.
    if (this.spoiled || this.next < this.count) return null;
    this.result = this.hash.digest('hex');
    return this.result;
  }

  private catchUp(): void {
    this.catchingUp ??= this.readForward()
      .catch(() => {
        this.spoiled = true;
      })
      .finally(() => {
        this.catchingUp = null;
      });
  }

  private async readForward(): Promise<void> {
    while (!this.spoiled && this.next < this.count && this.held(this.next)) {
      let end = this.next + 1;
      while (end < this.count && end - this.next < CATCH_UP_DATAGRAMS && this.held(end)) end++;
      const length = (end - this.next - 1) * this.chunkSize + this.lengthOf(end - 1);
      this.scratch ??= Buffer.allocUnsafe(CATCH_UP_DATAGRAMS * this.chunkSize);
      const bytes = await this.readHeld(this.next * this.chunkSize, length, this.scratch);
      if (bytes.length !== length) throw new Error(`read ${bytes.length} of ${length} bytes held at seq ${this.next}`);
      if (this.spoiled) return;
      this.hash.update(bytes);
      this.next = end;
    }
  }
}
