/**
 * The buffers a download sends from, allocated once and reused: new buffers per datagram
 * made V8 grow its heap under the churn of many downloads. A slot is busy from the moment a
 * datagram is read into it until the socket says it was sent.
 */
export class DatagramSlots {
  private readonly free: Buffer[] = [];
  private allocated = 0;
  private waiter: (() => void) | null = null;

  /** `max` slots at most, each of `bytes` (a whole datagram of the download's block). */
  constructor(
    private readonly max: number,
    private readonly bytes: number,
  ) {}

  /** Up to `wanted` free slots (at least one), waiting for one when all are busy. */
  async take(wanted: number): Promise<Buffer[]> {
    while (this.free.length === 0 && this.allocated >= this.max) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    while (this.free.length < wanted && this.allocated < this.max) {
      this.free.push(Buffer.allocUnsafe(this.bytes));
      this.allocated++;
    }
    return this.free.splice(0, wanted);
  }

  give(slot: Buffer): void {
    this.free.push(slot);
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
