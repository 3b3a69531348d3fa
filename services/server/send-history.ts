/**
 * When each recent datagram left, by seq, for turning the client's arrival times into delays.
 * A ring: only the last `size` first transmissions are remembered, which covers far more than
 * the time a report takes to come back. A seq that was resent is forgotten: its arrival time
 * cannot say which of its copies arrived.
 */
export class SendHistory {
  private readonly seqs: Int32Array;
  private readonly times: Float64Array;
  private readonly counts: Float64Array;
  private readonly mask: number;

  constructor(size = 8192) {
    if ((size & (size - 1)) !== 0) throw new RangeError('size must be a power of two');
    this.seqs = new Int32Array(size).fill(-1);
    this.times = new Float64Array(size);
    this.counts = new Float64Array(size);
    this.mask = size - 1;
  }

  /** `sentBefore`: how many datagrams the download had sent, resends included, when this one left. */
  sentFirst(seq: number, at: number, sentBefore: number): void {
    const slot = seq & this.mask;
    this.seqs[slot] = seq;
    this.times[slot] = at;
    this.counts[slot] = sentBefore;
  }

  resent(seq: number): void {
    const slot = seq & this.mask;
    if (this.seqs[slot] === seq) this.seqs[slot] = -1;
  }

  /** When `seq` left and how many datagrams had left before it, if it left once and recently enough to be remembered. */
  lookup(seq: number): { at: number; sentBefore: number } | undefined {
    const slot = seq & this.mask;
    return this.seqs[slot] === seq ? { at: this.times[slot], sentBefore: this.counts[slot] } : undefined;
  }
}
