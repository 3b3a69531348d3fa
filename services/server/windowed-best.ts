/**
 * The best value added within the last `windowMs` (the smallest, or the largest), kept in a
 * few buckets so that memory does not grow with the number of values: old buckets fall out whole.
 */
class WindowedBest {
  private readonly buckets: Array<{ start: number; best: number }> = [];
  private readonly bucketMs: number;

  constructor(
    private readonly windowMs: number,
    buckets: number,
    private readonly better: (a: number, b: number) => boolean,
  ) {
    this.bucketMs = windowMs / buckets;
  }

  add(now: number, value: number): void {
    const expired = now - this.windowMs - this.bucketMs;
    while (this.buckets.length > 0 && this.buckets[0].start <= expired) this.buckets.shift();
    const last = this.buckets.at(-1);
    if (!last || now - last.start >= this.bucketMs) this.buckets.push({ start: now, best: value });
    else if (this.better(value, last.best)) last.best = value;
  }

  clear(): void {
    this.buckets.length = 0;
  }

  /** Undefined until a value was added. */
  protected get best(): number | undefined {
    let best: number | undefined;
    for (const bucket of this.buckets) if (best === undefined || this.better(bucket.best, best)) best = bucket.best;
    return best;
  }
}

export class WindowedMin extends WindowedBest {
  constructor(windowMs: number, buckets: number) {
    super(windowMs, buckets, (a, b) => a < b);
  }
  get min(): number | undefined {
    return this.best;
  }
}

export class WindowedMax extends WindowedBest {
  constructor(windowMs: number, buckets: number) {
    super(windowMs, buckets, (a, b) => a > b);
  }
  get max(): number | undefined {
    return this.best;
  }
}
