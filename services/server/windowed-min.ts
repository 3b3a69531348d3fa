/**
 * The smallest value added within the last `windowMs`, kept in a few buckets so that memory
 * does not grow with the number of values: old buckets fall out whole.
 */
export class WindowedMin {
  private readonly buckets: Array<{ start: number; min: number }> = [];
  private readonly bucketMs: number;

  constructor(
    private readonly windowMs: number,
    buckets: number,
  ) {
    this.bucketMs = windowMs / buckets;
  }

  add(now: number, value: number): void {
    while (this.buckets.length > 0 && this.buckets[0].start + this.bucketMs <= now - this.windowMs)
      this.buckets.shift();
    const last = this.buckets.at(-1);
    if (!last || now - last.start >= this.bucketMs) this.buckets.push({ start: now, min: value });
    else if (value < last.min) last.min = value;
  }

  /** Undefined until a value was added. */
  get min(): number | undefined {
    let min: number | undefined;
    for (const bucket of this.buckets) if (min === undefined || bucket.min < min) min = bucket.min;
    return min;
  }
}
