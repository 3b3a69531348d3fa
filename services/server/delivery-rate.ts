/** Measured over at least this much of the client's clock: timestamps from an event loop jitter by a millisecond or so. */
const SPAN_MS = 25;
/** A longer gap between samples (a pause, a partition) is not a delivery rate. */
const MAX_GAP_MS = 100;
const KEEP = 64;

/**
 * Datagrams per second that came out of the path: between two datagrams named in reports,
 * how many the server sent (resends too, lost ones too), over how long they took to arrive on
 * the client's clock. Loss after the bottleneck does not lower it; a queue that grows does.
 */
export class DeliveryRate {
  private readonly times: number[] = [];
  private readonly sent: number[] = [];

  add(clientMs: number, sentBefore: number): void {
    const last = this.times.at(-1);
    if (last !== undefined && (clientMs <= last || sentBefore <= this.sent.at(-1)!)) return;
    if (last !== undefined && clientMs - last > MAX_GAP_MS) this.forget();
    this.times.push(clientMs);
    this.sent.push(sentBefore);
    if (this.times.length > KEEP) {
      this.times.shift();
      this.sent.shift();
    }
  }

  forget(): void {
    this.times.length = 0;
    this.sent.length = 0;
  }

  /** Datagrams per second over the last SPAN_MS or more; undefined until that much was seen. */
  get rate(): number | undefined {
    const n = this.times.length;
    if (n < 2) return undefined;
    const newest = this.times[n - 1];
    let i = n - 2;
    while (i > 0 && newest - this.times[i] < SPAN_MS) i--;
    const span = newest - this.times[i];
    if (span < SPAN_MS / 2) return undefined;
    return ((this.sent[n - 1] - this.sent[i]) * 1000) / span;
  }
}
