/** Measured over at least this much time: timestamps from an event loop jitter by a millisecond or so. */
const SPAN_MS = 15;
/** A longer gap between samples (a pause, a partition) is not a delivery rate. */
const MAX_GAP_MS = 100;
const KEEP = 64;

/**
 * Datagrams per second that came out of the path: between two datagrams named in reports,
 * how many the server sent (resends too, lost ones too), over how long they took, on the
 * client's clock to arrive and on the server's to leave, whichever is longer. Loss after the
 * bottleneck does not lower it; a queue that grows does; and a client that read a backlog in
 * one go after its event loop was busy cannot make it look faster than the server sent.
 */
export class DeliveryRate {
  private readonly arrived: number[] = [];
  private readonly left: number[] = [];
  private readonly sent: number[] = [];

  add(clientMs: number, serverMs: number, sentBefore: number): void {
    const last = this.arrived.at(-1);
    if (last !== undefined && (clientMs <= last || sentBefore <= this.sent.at(-1)!)) return;
    if (last !== undefined && clientMs - last > MAX_GAP_MS) this.forget();
    this.arrived.push(clientMs);
    this.left.push(serverMs);
    this.sent.push(sentBefore);
    if (this.arrived.length > KEEP) {
      this.arrived.shift();
      this.left.shift();
      this.sent.shift();
    }
  }

  forget(): void {
    this.arrived.length = 0;
    this.left.length = 0;
    this.sent.length = 0;
  }

  /** Datagrams per second over the last SPAN_MS or more; undefined until that much was seen. */
  get rate(): number | undefined {
    const n = this.arrived.length;
    if (n < 2) return undefined;
    const newest = this.arrived[n - 1];
    let i = n - 2;
    while (i > 0 && newest - this.arrived[i] < SPAN_MS) i--;
    const span = Math.max(newest - this.arrived[i], this.left[n - 1] - this.left[i]);
    if (span < SPAN_MS / 2) return undefined;
    return ((this.sent[n - 1] - this.sent[i]) * 1000) / span;
  }
}
