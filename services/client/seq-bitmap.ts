/** Which seqs have arrived: one bit each, so a 1 GiB download costs 64 KiB here, not the data. */
export class SeqBitmap {
  private readonly bits: Uint8Array;
  private held = 0;

  constructor(readonly size: number) {
    this.bits = new Uint8Array(Math.ceil(size / 8));
  }

  has(seq: number): boolean {
    return (this.bits[seq >> 3] & (1 << (seq & 7))) !== 0;
  }

  /** Marks `seq`; false when it was already there. */
  add(seq: number): boolean {
    if (this.has(seq)) return false;
    this.bits[seq >> 3] |= 1 << (seq & 7);
    this.held++;
    return true;
  }

  /** Unmarks `seq`, to take it again; false when it was not there. */
  remove(seq: number): boolean {
    if (!this.has(seq)) return false;
    this.bits[seq >> 3] &= ~(1 << (seq & 7));
    this.held--;
    return true;
  }

  get count(): number {
    return this.held;
  }

  /** The seqs in [from, to) not yet held, in order. */
  missing(from: number, to: number): number[] {
    const out: number[] = [];
    for (let seq = from; seq < to; seq++) if (!this.has(seq)) out.push(seq);
    return out;
  }
}
