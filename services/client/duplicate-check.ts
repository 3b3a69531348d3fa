/** Reads back what the download holds at an offset (the temporary file, its pending writes included). */
export type ReadHeld = (offset: number, length: number, into?: Buffer) => Promise<Uint8Array>;

/**
 * Compares each second copy of a seq with the bytes already held for it. The server sends the
 * same bytes every time, so two copies that differ mean one of them was not the server's: both
 * versions are suspects, and the seq is the one to ask for again when the file's checksum
 * disagrees. The comparison reads the held copy back from disk, only for duplicates, so the
 * path every datagram takes costs nothing more; at most `maxPending` copies wait in memory,
 * and a seq whose copy could not wait is a suspect without comparison.
 */
export class DuplicateCheck {
  private readonly suspects = new Set<number>();
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(
    private readonly readHeld: ReadHeld,
    private readonly chunkSize: number,
    private readonly maxPending = 64,
  ) {}

  /** A copy of `seq` arrived while `seq` was already held. */
  compare(seq: number, data: Uint8Array): void {
    if (this.suspects.has(seq)) return;
    if (this.pending.size >= this.maxPending) return void this.suspects.add(seq);
    const copy = Buffer.from(data);
    const done = this.readHeld(seq * this.chunkSize, copy.length)
      .then((held) => {
        if (!copy.equals(held)) this.suspects.add(seq);
      })
      .catch((error: unknown) => {
        this.failure ??= error;
        this.suspects.add(seq);
      })
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** The seqs seen with two different contents, once every comparison has finished. */
  async conflicting(): Promise<number[]> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    return [...this.suspects].sort((a, b) => a - b);
  }

  /** The seq is being fetched anew: what was seen of it before no longer matters. */
  forget(seq: number): void {
    this.suspects.delete(seq);
  }
}
