// How each kind of mark looks on the sequence chart.
import type { SeriesName } from '../chart-data.ts';

export interface Style {
  label: string;
  color: string;
  shape: 'dot' | 'square' | 'dash' | 'drop' | 'ring';
  size: number;
  /** The smallest a dense mark may get: resends are few and matter, so they stay visible over the ramp. */
  minSize?: number;
}

// Bottom to top: what is rare and matters (drops, resends, requests) is drawn over the bulk.
export const ORDER: SeriesName[] = [
  'atClient',
  'first',
  'requested',
  'resend',
  'firstDropped',
  'resendDropped',
  'late',
];
export const STYLE: Record<SeriesName, Style> = {
  atClient: { label: 'arrived', color: '#17becf', shape: 'square', size: 1.6 },
  first: { label: 'first transmission', color: '#1f77b4', shape: 'dot', size: 2.6 },
  requested: { label: 'requested seq', color: '#9467bd', shape: 'dash', size: 4 },
  resend: { label: 'resend', color: '#2ca02c', shape: 'dot', size: 3.4, minSize: 2 },
  firstDropped: { label: 'dropped first transmission', color: '#d62728', shape: 'drop', size: 4 },
  resendDropped: { label: 'dropped resend', color: '#ff7f0e', shape: 'drop', size: 4 },
  // A ring around the arrival, off the ramp by how late it was: reordering stands out at any density.
  late: { label: 'arrived late (overtaken)', color: '#e377c2', shape: 'ring', size: 4.5 },
};

/** Adds one mark's path at (x, y); a dense drop becomes a short whisker off the ramp. */
export function drawShape(
  ctx: CanvasRenderingContext2D,
  shape: Style['shape'],
  x: number,
  y: number,
  r: number,
  dense: boolean,
): void {
  if (shape === 'dot') {
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  } else if (shape === 'square') ctx.rect(x - r / 2, y - r / 2, r, r);
  else if (shape === 'ring') {
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  } else if (shape === 'dash') {
    ctx.moveTo(x - r, y);
    ctx.lineTo(x + r, y);
  } else if (dense) {
    ctx.moveTo(x + 2.5, y);
    ctx.lineTo(x + 9, y);
  } else {
    ctx.moveTo(x - r, y - r);
    ctx.lineTo(x + r, y + r);
    ctx.moveTo(x - r, y + r);
    ctx.lineTo(x + r, y - r);
  }
}
