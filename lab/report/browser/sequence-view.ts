// The report's interactive charts, run in the reader's browser: inlined into report.html, so nothing is fetched.
// Each <figure class="download-chart"> holds its data as JSON; this draws it on canvas, with a legend that
// toggles each kind of mark, drag-to-zoom, shift-drag to pan, the wheel to zoom time, double-click to reset,
// and a tooltip naming the seq, the time, and the frame and capture file to open in Wireshark.
import type { ChartData, EventMark, MarkSeries, SeriesName } from '../chart-data.ts';
import { lowerBound, PAD, ROW, sizeCanvas, ticks, type View } from './chart-scale.ts';
import { placeEventLabels, type PlacedLabel } from './event-labels.ts';
import { drawGoodput } from './goodput-panel.ts';
import { drawShape, ORDER, STYLE } from './mark-styles.ts';

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

  /** Places the labels of the events in view, and tells the browser test where each went. */
  private eventLabels(ctx: CanvasRenderingContext2D, events: EventMark[]): PlacedLabel[] {
    const xs = events.map((e) => this.x(e.t));
    const placed = placeEventLabels(
      xs,
      events.map((e) => ctx.measureText(e.label).width),
      this.width() - 2,
    );
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
    sizeCanvas(this.canvas, w, h);
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
    drawGoodput(this.goodput, this.data, this.view, w);
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

  private eventsAndPause(ctx: CanvasRenderingContext2D, events: EventMark[], labels: PlacedLabel[], h: number): void {
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
      drawShape(ctx, style.shape, x, y, size, dense);
    }
    if (style.shape === 'drop' || style.shape === 'dash' || style.shape === 'ring') ctx.stroke();
    else ctx.fill();
    return inView;
  }
}

for (const figure of document.querySelectorAll<HTMLElement>('figure.download-chart')) {
  const json = figure.querySelector('script[type="application/json"]')?.textContent ?? 'null';
  new SequenceView(figure, JSON.parse(json) as ChartData);
}
