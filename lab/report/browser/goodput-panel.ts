// The panel under the sequence chart: how fast the file's bytes reached the client, over the same time range.
import type { ChartData } from '../chart-data.ts';
import { PAD, sizeCanvas, ticks, type View } from './chart-scale.ts';

/** File bytes a full datagram carries unless the download agreed on another block. */
const SEED_BLOCK = 2043;
const HEIGHT = 150;

/** File bytes newly held by the client per time bin of the view, in Mbit/s (a seq held twice counts once). */
function goodputBins(data: ChartData, view: View, bins: number): number[] {
  const width = (view.t1 - view.t0) / bins;
  const mbit = new Array<number>(bins).fill(0);
  const held = new Set<number>();
  const arrivals = data.series.atClient;
  const block = data.block ?? SEED_BLOCK;
  const last = data.bytes === null ? block : data.bytes - (data.n - 1) * block;
  for (let i = 0; i < arrivals.t.length; i++) {
    if (held.has(arrivals.seq[i])) continue;
    held.add(arrivals.seq[i]);
    const b = Math.floor((arrivals.t[i] - view.t0) / width);
    if (b >= 0 && b < bins) mbit[b] += ((arrivals.seq[i] === data.n - 1 ? last : block) * 8) / width / 1e6;
  }
  return mbit;
}

export function drawGoodput(canvas: HTMLCanvasElement, data: ChartData, view: View, w: number): void {
  const h = HEIGHT;
  sizeCanvas(canvas, w, h);
  const ctx = canvas.getContext('2d')!;
  ctx.font = '11px system-ui, sans-serif';
  const bins = Math.max(10, Math.min(200, Math.floor((w - PAD.left - PAD.right) / 5)));
  const mbit = goodputBins(data, view, bins);
  let peak = 1;
  for (const v of mbit) if (v > peak) peak = v;
  const top = 12;
  const bottom = h - 30;
  const yt = ticks(0, peak, 3);
  ctx.fillStyle = '#5c5c5c';
  ctx.textAlign = 'right';
  for (const v of yt.values)
    ctx.fillText(v.toFixed(yt.decimals), PAD.left - 6, bottom - (v / peak) * (bottom - top) + 4);
  ctx.textAlign = 'center';
  ctx.fillStyle = '#1a1a1a';
  ctx.fillText('goodput at the client, Mbit/s (file bytes first held, per bin)', (PAD.left + w - PAD.right) / 2, h - 8);
  ctx.fillStyle = 'rgba(31, 119, 180, 0.35)';
  ctx.strokeStyle = '#1f77b4';
  ctx.beginPath();
  ctx.moveTo(PAD.left, bottom);
  mbit.forEach((v, i) => {
    const x0 = PAD.left + (i / bins) * (w - PAD.left - PAD.right);
    const x1 = PAD.left + ((i + 1) / bins) * (w - PAD.left - PAD.right);
    const y = bottom - (v / peak) * (bottom - top);
    ctx.lineTo(x0, y);
    ctx.lineTo(x1, y);
  });
  ctx.lineTo(w - PAD.right, bottom);
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
  ctx.strokeStyle = '#333';
  ctx.strokeRect(PAD.left, top, w - PAD.left - PAD.right, bottom - top);
  canvas.dataset.peakMbit = peak.toFixed(3);
}
