// Where things go on the charts' canvases: the view's ranges, the margins, the axis ticks.

/** The time (s) and seq ranges in view. */
export interface View {
  t0: number;
  t1: number;
  s0: number;
  s1: number;
}

export const PAD = { left: 64, right: 18, bottom: 42 };
/** Height of one row of event labels above the plot. */
export const ROW = 15;

function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power) || 1;
}

export function ticks(lo: number, hi: number, target: number, minStep = 0): { values: number[]; decimals: number } {
  const step = Math.max(minStep, niceStep(hi - lo || 1, target));
  const values: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) values.push(Number(v.toFixed(9)));
  return { values, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

/** First index whose time is ≥ t (the columns are sorted by time). */
export function lowerBound(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sizes a canvas for the screen's pixel ratio and clears it to white. */
export function sizeCanvas(canvas: HTMLCanvasElement, w: number, h: number): void {
  canvas.width = Math.round(w * devicePixelRatio);
  canvas.height = Math.round(h * devicePixelRatio);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
}
