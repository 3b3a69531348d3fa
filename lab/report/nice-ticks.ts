/**
 * Axis ticks at round values (1, 2 or 5 times a power of ten) covering [lo, hi],
 * about `target` of them; the last tick is at or above `hi` so the axis ends on a label.
 */
export function niceTicks(lo: number, hi: number, target = 6, minStep = 0): { ticks: number[]; step: number } {
  const span = hi > lo ? hi - lo : Math.abs(hi) || 1;
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(minStep, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power);
  const first = Math.floor(lo / step + 1e-9) * step;
  const count = Math.max(1, Math.ceil(hi / step - 1e-9) - Math.floor(lo / step + 1e-9));
  // Multiplying rather than adding keeps 0.1-steps free of accumulated rounding (0.30000000000000004).
  const ticks = Array.from({ length: count + 1 }, (_, i) => round(first + i * step, step));
  return { ticks, step };
}

/** Decimals enough to tell ticks `step` apart, and no more. */
export function decimalsFor(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

function round(value: number, step: number): number {
  const d = decimalsFor(step) + 1;
  return Number(value.toFixed(d));
}
