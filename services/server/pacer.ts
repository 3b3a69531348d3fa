/** Sleeps are capped so that a rate that rises meanwhile (a report came in) takes effect soon. */
const MAX_SLEEP_MS = 5;
/**
 * Bursts the pacer allows, as time at the current rate and in datagrams: timers in Node fire
 * a millisecond or more late, and tokens beyond the burst are lost, so a small burst would
 * cap the rate at what fits between two late timers.
 */
const BURST_MS = 4;
const BURST_DATAGRAMS = 8;

/**
 * A token bucket whose rate is read afresh at every call: the sender asks how many datagrams
 * it may send now, and sleeps until at least one is allowed.
 */
export class Pacer {
  private tokens = 0;
  private last = performance.now();

  /** `rate` in bytes per second; Infinity (no pacing) lets everything through at once. */
  constructor(private readonly rate: () => number) {}

  /** Resolves with how many datagrams of `bytes` each may leave now, 1 to `max`. */
  async allow(max: number, bytes: number): Promise<number> {
    for (;;) {
      const rate = this.rate();
      if (!Number.isFinite(rate)) return max;
      const now = performance.now();
      const burst = Math.max(BURST_DATAGRAMS * bytes, (rate * BURST_MS) / 1000);
      this.tokens = Math.min(burst, this.tokens + ((now - this.last) * rate) / 1000);
      this.last = now;
      if (this.tokens >= bytes) {
        const n = Math.min(max, Math.floor(this.tokens / bytes));
        this.tokens -= n * bytes;
        return n;
      }
      const wait = Math.min(MAX_SLEEP_MS, ((bytes - this.tokens) * 1000) / rate);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
