// The report's interactive charts, run in the reader's browser: inlined into report.html, so nothing is fetched.
// Each <figure class="download-chart"> holds its data as JSON; this draws it on canvas, with a legend that
// toggles each kind of mark, drag-to-zoom, shift-drag to pan, the wheel to zoom time, double-click to reset,
// and a tooltip naming the seq, the time, and the frame and capture file to open in Wireshark.
import type { ChartData, EventMark, MarkSeries, SeriesName } from '../chart-data.ts';

interface View {
  t0: number;
  t1: number;
  s0: number;
  s1: number;
}

interface Style {
  label: string;
  color: string;
  shape: 'dot' | 'square' | 'dash' | 'drop' | 'ring';
  size: number;
  /** The smallest a dense mark may get: resends are few and matter, so they stay visible over the ramp. */
  minSize?: number;
}

// Bottom to top: what is rare and matters (drops, resends, requests) is drawn over the bulk.
const ORDER: SeriesName[] = ['atClient', 'first', 'requested', 'resend', 'firstDropped', 'resendDropped', 'late'];
const STYLE: Record<SeriesName, Style> = {
  atClient: { label: 'arrived', color: '#17becf', shape: 'square', size: 1.6 },
  first: { label: 'first transmission', color: '#1f77b4', shape: 'dot', size: 2.6 },
  requested: { label: 'requested seq', color: '#9467bd', shape: 'dash', size: 4 },
  resend: { label: 'resend', color: '#2ca02c', shape: 'dot', size: 3.4, minSize: 2 },
  firstDropped: { label: 'dropped first transmission', color: '#d62728', shape: 'drop', size: 4 },
  resendDropped: { label: 'dropped resend', color: '#ff7f0e', shape: 'drop', size: 4 },
  // A ring around the arrival, off the ramp by how late it was: reordering stands out at any density.
  late: { label: 'arrived late (overtaken)', color: '#e377c2', shape: 'ring', size: 4.5 },
};
const PAD = { left: 64, right: 18, bottom: 42 };
const ROW = 15;
const CHUNK = 2043;

function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power) || 1;
}

function ticks(lo: number, hi: number, target: number, minStep = 0): { values: number[]; decimals: number } {
  const step = Math.max(minStep, niceStep(hi - lo || 1, target));
  const values: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) values.push(Number(v.toFixed(9)));
  return { values, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

/** First index whose time is ≥ t (the columns are sorted by time). */
function lowerBound(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class SequenceView {
  private readonly canvas: HTMLCanvasElement;
  private readonly goodput: HTMLCanvasElement;
  private readonly tip: HTMLElement;
  private readonly hidden = new Set<SeriesName>();
  private readonly full: View;
  private view: View;
  private top = 24;
  private drag: { x: number; y: number; pan: boolean; view: View } | null = null;

  constructor(
    private readonly figure: HTMLElement,
    private readonly data: ChartData,
  ) {
    this.canvas = figure.querySelector('canvas.sequence')!;
    this.goodput = figure.querySelector('canvas.goodput')!;
    this.tip = figure.querySelector('.tip')!;
    this.full = { t0: 0, t1: data.tEnd * 1.03, s0: -0.5, s1: Math.max(data.n, 1) - 0.5 };
    this.view = { ...this.full };
    this.legend();
    this.listen();
    this.draw();
  }

  private width(): number {
    return Math.max(480, this.figure.clientWidth);
  }

  private x(t: number): number {
    return PAD.left + ((t - this.view.t0) / (this.view.t1 - this.view.t0)) * (this.width() - PAD.left - PAD.right);
  }

  private y(seq: number): number {
    const bottom = this.canvas.height / devicePixelRatio - PAD.bottom;
    return bottom - ((seq - this.view.s0) / (this.view.s1 - this.view.s0)) * (bottom - this.top);
  }

  private label(name: SeriesName): string {
    if (name === 'atClient') return `arrived (${this.data.arrivalsAt})`;
    if (name === 'late') return `arrived late, overtaken (${this.data.arrivalsAt})`;
    return STYLE[name].label;
  }

  private legend(): void {
    const list = this.figure.querySelector('ul.legend')!;
    for (const name of ORDER) {
      const count = this.data.series[name].t.length;
      const label = this.label(name);
      const item = document.createElement('li');
      item.dataset.series = name;
      item.dataset.count = String(count);
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('aria-pressed', 'true');
      button.innerHTML = `<span class="swatch ${STYLE[name].shape}" style="--c:${STYLE[name].color}"></span>`;
      button.append(
        `${label} `,
        Object.assign(document.createElement('span'), { className: 'count', textContent: String(count) }),
      );
      button.addEventListener('click', () => {
        if (this.hidden.has(name)) this.hidden.delete(name);
        else this.hidden.add(name);
        button.setAttribute('aria-pressed', String(!this.hidden.has(name)));
        this.draw();
      });
      item.append(button);
      list.append(item);
    }
  }

  private listen(): void {
    const c = this.canvas;
    c.addEventListener('mousedown', (e) => {
      this.drag = { x: e.offsetX, y: e.offsetY, pan: e.shiftKey, view: { ...this.view } };
    });
    c.addEventListener('mousemove', (e) => this.move(e));
    c.addEventListener('mouseup', (e) => this.release(e));
    c.addEventListener('mouseleave', () => {
      this.drag = null;
      this.tip.hidden = true;
    });
    c.addEventListener('dblclick', () => this.zoomTo({ ...this.full }));
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const t = this.timeAt(e.offsetX);
        // By the amount, not the sign: a busy page gets coalesced wheel events whose deltas add up.
        const k = Math.exp(Math.max(-5, Math.min(5, e.deltaY * 0.0025)));
        this.zoomTo({ ...this.view, t0: t - (t - this.view.t0) * k, t1: t + (this.view.t1 - t) * k });
      },
      { passive: false },
    );
    this.figure.querySelector('button.reset')?.addEventListener('click', () => this.zoomTo({ ...this.full }));
    new ResizeObserver(() => this.draw()).observe(this.figure);
  }

  private timeAt(px: number): number {
    return this.view.t0 + ((px - PAD.left) / (this.width() - PAD.left - PAD.right)) * (this.view.t1 - this.view.t0);
  }

  private seqAt(py: number): number {
    const bottom = this.canvas.height / devicePixelRatio - PAD.bottom;
    return this.view.s0 + ((bottom - py) / (bottom - this.top)) * (this.view.s1 - this.view.s0);
  }

  private move(e: MouseEvent): void {
    const d = this.drag;
    if (d && d.pan) {
      const plotW = this.width() - PAD.left - PAD.right;
      const plotH = this.canvas.height / devicePixelRatio - PAD.bottom - this.top;
      const dt = ((d.x - e.offsetX) / plotW) * (d.view.t1 - d.view.t0);
      const ds = ((e.offsetY - d.y) / plotH) * (d.view.s1 - d.view.s0);
      this.zoomTo({ t0: d.view.t0 + dt, t1: d.view.t1 + dt, s0: d.view.s0 + ds, s1: d.view.s1 + ds });
      return;
    }
    if (d) {
      this.draw();
      const ctx = this.canvas.getContext('2d')!;
      ctx.strokeStyle = '#555';
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(d.x, d.y, e.offsetX - d.x, e.offsetY - d.y);
      ctx.setLineDash([]);
      return;
    }
    this.hover(e.offsetX, e.offsetY);
  }

  private release(e: MouseEvent): void {
    const d = this.drag;
    this.drag = null;
    if (!d || d.pan || Math.abs(e.offsetX - d.x) < 6 || Math.abs(e.offsetY - d.y) < 6) return;
    const [ta, tb] = [this.timeAt(d.x), this.timeAt(e.offsetX)].sort((a, b) => a - b);
    const [sa, sb] = [this.seqAt(d.y), this.seqAt(e.offsetY)].sort((a, b) => a - b);
    this.zoomTo({ t0: ta, t1: tb, s0: sa, s1: Math.max(sb, sa + 1) });
  }

  private zoomTo(view: View): void {
    this.view = view;
    this.draw();
  }

  private hover(px: number, py: number): void {
    let best: { name: SeriesName; i: number; d: number } | null = null;
    const dt = (8 / (this.width() - PAD.left - PAD.right)) * (this.view.t1 - this.view.t0);
    for (const name of ORDER) {
      if (this.hidden.has(name)) continue;
      const s = this.data.series[name];
      const t = this.timeAt(px);
      for (let i = lowerBound(s.t, t - dt); i < s.t.length && s.t[i] <= t + dt; i++) {
        const d = Math.hypot(this.x(s.t[i]) - px, this.y(s.seq[i]) - py);
        // Within a couple of pixels the mark drawn on top wins: the one the reader sees.
        if (d <= 8 && (!best || d <= best.d + 2)) best = { name, i, d };
      }
    }
    if (!best) {
      this.tip.hidden = true;
      return;
    }
    const s = this.data.series[best.name];
    const label = this.label(best.name);
    this.tip.textContent = `${label}: seq ${s.seq[best.i]}, ${s.t[best.i].toFixed(6)} s, frame ${s.frame[best.i]} in ${this.data.captures[best.name] ?? '?'}`;
    this.tip.hidden = false;
    this.tip.style.left = `${Math.min(px + 12, this.width() - 260)}px`;
    this.tip.style.top = `${py + 12}px`;
  }

  /**
   * Where each event label goes above the plot: right of its line, or left of it where it would run off
   * the chart; in the first row where it overlaps no other label.
   */
  private eventLabels(ctx: CanvasRenderingContext2D, events: EventMark[]): { row: number; left: number }[] {
    const taken: [number, number][][] = [];
    const edge = this.width() - 2;
    const placed = events.map((e) => {
      const x = this.x(e.t);
      const width = ctx.measureText(e.label).width;
      const left = x + 3 + width <= edge ? x + 3 : Math.max(2, x - 3 - width);
      const right = left + width;
      let row = taken.findIndex((spans) => spans.every(([a, b]) => right + 6 <= a || left >= b + 6));
      if (row < 0) row = taken.push([]) - 1;
      taken[row].push([left, right]);
      return { row, left, right };
    });
    // For the browser test: every label's row and extent, to check none overlaps another or leaves the chart.
    this.figure.dataset.labels = placed.map((p) => `${p.row}:${p.left.toFixed(1)}:${p.right.toFixed(1)}`).join(' ');
    return placed;
  }

  draw(): void {
    const w = this.width();
    const ctx = this.canvas.getContext('2d')!;
    ctx.font = '11px system-ui, sans-serif';
    const events = this.data.events.filter((e) => e.t >= this.view.t0 && e.t <= this.view.t1);
    const labels = this.eventLabels(ctx, events);
    this.top = 10 + (Math.max(-1, ...labels.map((l) => l.row)) + 1) * ROW + 6;
    const h = this.top + 340 + PAD.bottom;
    this.size(this.canvas, w, h);
    ctx.font = '11px system-ui, sans-serif';
    this.axes(ctx, w, h);
    this.outages(ctx, h);
    this.eventsAndPause(ctx, events, labels, h);
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, this.top, w - PAD.left - PAD.right, h - PAD.bottom - this.top);
    ctx.clip();
    for (const name of ORDER) {
      const drawn = this.hidden.has(name) ? 0 : this.marks(ctx, name);
      (this.figure.querySelector(`li[data-series="${name}"]`) as HTMLElement).dataset.drawn = String(drawn);
    }
    ctx.restore();
    const v = this.view;
    this.figure.dataset.view = [v.t0, v.t1, v.s0, v.s1].map((n) => n.toFixed(6)).join(' ');
    this.figure.dataset.plot = [PAD.left, this.top, w - PAD.right, h - PAD.bottom].join(' ');
    this.drawGoodput(w);
  }

  private size(canvas: HTMLCanvasElement, w: number, h: number): void {
    canvas.width = Math.round(w * devicePixelRatio);
    canvas.height = Math.round(h * devicePixelRatio);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
  }

  private axes(ctx: CanvasRenderingContext2D, w: number, h: number): void {
    const bottom = h - PAD.bottom;
    const xt = ticks(this.view.t0, this.view.t1, 8);
    const yt = ticks(this.view.s0, this.view.s1, 6, 1);
    ctx.strokeStyle = '#ebebeb';
    ctx.fillStyle = '#5c5c5c';
    ctx.lineWidth = 1;
    ctx.textAlign = 'center';
    for (const t of xt.values) {
      const x = this.x(t);
      if (x < PAD.left || x > w - PAD.right) continue;
      ctx.beginPath();
      ctx.moveTo(x, this.top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.fillText(t.toFixed(xt.decimals), x, bottom + 15);
    }
    ctx.textAlign = 'right';
    for (const s of yt.values) {
      const y = this.y(s);
      if (y < this.top || y > bottom || s < 0) continue;
      ctx.beginPath();
      ctx.moveTo(PAD.left, y);
      ctx.lineTo(w - PAD.right, y);
      ctx.stroke();
      ctx.fillText(String(s), PAD.left - 6, y + 4);
    }
    ctx.fillStyle = '#1a1a1a';
    ctx.textAlign = 'center';
    ctx.fillText('time since the client asked for the file (s)', (PAD.left + w - PAD.right) / 2, bottom + 33);
    ctx.save();
    ctx.translate(16, (this.top + bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('seq', 0, 0);
    ctx.restore();
    ctx.strokeStyle = '#333';
    ctx.strokeRect(PAD.left, this.top, w - PAD.left - PAD.right, bottom - this.top);
  }

  /** Each time the network carried nothing, shaded across the plot: a partition's gap reads at a glance. */
  private outages(ctx: CanvasRenderingContext2D, h: number): void {
    const left = PAD.left;
    const right = this.width() - PAD.right;
    let shown = 0;
    ctx.fillStyle = 'rgba(198, 40, 40, 0.09)';
    for (const band of this.data.outages ?? []) {
      const x0 = Math.max(left, this.x(band.t0));
      const x1 = Math.min(right, this.x(band.t1));
      if (x1 <= x0) continue;
      ctx.fillRect(x0, this.top, Math.max(1, x1 - x0), h - PAD.bottom - this.top);
      shown++;
    }
    this.figure.dataset.outages = String(shown);
  }

  private eventsAndPause(
    ctx: CanvasRenderingContext2D,
    events: EventMark[],
    labels: { row: number; left: number }[],
    h: number,
  ): void {
    const bottom = h - PAD.bottom;
    ctx.textAlign = 'left';
    events.forEach((e, i) => {
      const x = this.x(e.t);
      const y = 10 + labels[i].row * ROW + 9;
      ctx.strokeStyle = e.kind === 'server-silent' || e.kind === 'network' ? '#c62828' : '#8a8a8a';
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(x, y + 3);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = e.kind === 'server-silent' || e.kind === 'network' ? '#c62828' : '#4a4a4a';
      ctx.fillText(e.label, labels[i].left, y);
    });
    if (this.data.h < this.data.n) {
      const y = this.y(this.data.h - 0.5);
      if (y > this.top && y < bottom) {
        ctx.strokeStyle = '#6b6b6b';
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(PAD.left, y);
        ctx.lineTo(this.width() - PAD.right, y);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = '#6b6b6b';
        ctx.fillText(`H = ${this.data.h}`, PAD.left + 4, y - 4);
      }
    }
  }

  /** Draws one kind of mark in view, one per pixel at most; returns how many marks are in view. */
  private marks(ctx: CanvasRenderingContext2D, name: SeriesName): number {
    const s: MarkSeries = this.data.series[name];
    const style = STYLE[name];
    const { t0, t1, s0, s1 } = this.view;
    const pxPerSeq = this.y(s0) - this.y(s0 + 1) || 1;
    // Sparse: full-size marks; dense: smaller ones, and a drop becomes a short whisker off the ramp.
    const dense = style.shape !== 'ring' && pxPerSeq < style.size * 1.5;
    const size = dense ? Math.max(style.minSize ?? 1, Math.min(style.size, pxPerSeq * 1.2)) : style.size;
    const seen = new Set<number>();
    let inView = 0;
    ctx.fillStyle = style.color;
    ctx.strokeStyle = style.color;
    ctx.lineWidth = style.shape === 'drop' ? 1.5 : 1.2;
    ctx.beginPath();
    for (let i = lowerBound(s.t, t0); i < s.t.length && s.t[i] <= t1; i++) {
      if (s.seq[i] < s0 - 0.5 || s.seq[i] > s1 + 0.5) continue;
      inView++;
      const x = this.x(s.t[i]);
      const y = this.y(s.seq[i]);
      const key = Math.round(x) * 8192 + Math.round(y);
      if (seen.has(key)) continue;
      seen.add(key);
      this.shape(ctx, style.shape, x, y, size, dense);
    }
    if (style.shape === 'drop' || style.shape === 'dash' || style.shape === 'ring') ctx.stroke();
    else ctx.fill();
    return inView;
  }

  private shape(
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

  /** File bytes newly held by the client per time bin, in Mbit/s, over the same time range as the chart. */
  private drawGoodput(w: number): void {
    const h = 150;
    this.size(this.goodput, w, h);
    const ctx = this.goodput.getContext('2d')!;
    ctx.font = '11px system-ui, sans-serif';
    const { t0, t1 } = this.view;
    const bins = Math.max(10, Math.min(200, Math.floor((w - PAD.left - PAD.right) / 5)));
    const width = (t1 - t0) / bins;
    const mbit = new Array<number>(bins).fill(0);
    const held = new Set<number>();
    const arr = this.data.series.atClient;
    const last = this.data.bytes === null ? CHUNK : this.data.bytes - (this.data.n - 1) * CHUNK;
    for (let i = 0; i < arr.t.length; i++) {
      if (held.has(arr.seq[i])) continue;
      held.add(arr.seq[i]);
      const b = Math.floor((arr.t[i] - t0) / width);
      if (b >= 0 && b < bins) mbit[b] += ((arr.seq[i] === this.data.n - 1 ? last : CHUNK) * 8) / width / 1e6;
    }
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
    ctx.fillText(
      'goodput at the client, Mbit/s (file bytes first held, per bin)',
      (PAD.left + w - PAD.right) / 2,
      h - 8,
    );
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
    this.goodput.dataset.peakMbit = peak.toFixed(3);
  }
}

for (const figure of document.querySelectorAll<HTMLElement>('figure.download-chart')) {
  const json = figure.querySelector('script[type="application/json"]')?.textContent ?? 'null';
  new SequenceView(figure, JSON.parse(json) as ChartData);
}
