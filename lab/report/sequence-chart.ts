import type { DownloadTimeline } from '../timeline/types.ts';
import { outageBands } from './chart-data.ts';
import { chartMarks, type Transmission } from './chart-marks.ts';
import { escapeMarkup as esc } from './escape-markup.ts';
import { placeInRows } from './label-rows.ts';
import { decimalsFor, niceTicks } from './nice-ticks.ts';
import { thinPath } from './thin-line.ts';

/** Above this many transmissions, first transmissions that arrived become one line instead of a dot each. */
export const MARK_LIMIT = 5000;

const WIDTH = 900;
const LEFT = 72;
const RIGHT = WIDTH - 28;
const PLOT_HEIGHT = 340;
const HEADER = 62;
const ROW = 15;
// Generic families only: the chart must look the same opened from disk, with nothing to fetch.
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
// Told apart by hue and by shape (dot, ×, line), so the chart survives colour blindness and greyscale printing.
export const CHART_COLORS = {
  first: '#1f77b4',
  resend: '#2ca02c',
  drop: '#d62728',
  request: '#9467bd',
  pause: '#6b6b6b',
  marker: '#4a4a4a',
  grid: '#ebebeb',
  axis: '#333333',
  text: '#1a1a1a',
  muted: '#5c5c5c',
} as const;
const OUTCOME_COLOR = { completed: '#1e7d32', stopped: '#a15c00', unfinished: '#c62828' } as const;

/**
 * A download as a time–sequence graph, as tcptrace draws TCP: x is time since `download|`, y the seq.
 * An undisturbed download is a clean ramp with a gap at the pause; every loss shows as a red ×
 * with a resend dot to its right on the same row, after the request that named it.
 * Self-contained SVG (no XML declaration, so it can also be inlined into HTML).
 */
export function renderSequenceChart(t: DownloadTimeline): string {
  const marks = chartMarks(t);
  const l = layout(t, marks);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${l.height}" width="${WIDTH}" height="${l.height}" font-family="${esc(FONT)}" role="img" class="sequence-chart">`,
    ...header(t, l),
    ...axes(l),
    ...outages(t, l, marks.tEnd),
    ...pauseAndEvents(t, l),
    ...requestMarks(marks, l),
    ...transmissionMarks(marks, l),
    legend(l.bottom + 62, {
      thinned: l.thinned,
      arrived: marks.arrived.length,
      resent: marks.resends.length,
      dropped: marks.drops.length,
      requests: marks.requests.reduce((n, q) => n + q.seqs.length, 0),
      h: t.h,
    }),
    '</svg>',
    '',
  ].join('\n');
}

interface Layout {
  X: (s: number) => number;
  Y: (seq: number) => number;
  xTicks: number[];
  yTicks: number[];
  decimals: number;
  events: { name: string; t: number; label: string }[];
  placed: ReturnType<typeof placeInRows>;
  top: number;
  bottom: number;
  height: number;
  seqMax: number;
  pxPerSeq: number;
  thinned: boolean;
}

function layout(t: DownloadTimeline, marks: ReturnType<typeof chartMarks>): Layout {
  // The axis ends just past the last event, not at the next round tick, which could waste a fifth of the width.
  const xMax = Math.max(marks.tEnd, 0.001) * 1.03;
  const x = niceTicks(0, xMax, 8);
  const seqMax = Math.max(t.n - 1, 0);
  const X = (s: number) => LEFT + (s / xMax) * (RIGHT - LEFT);
  const events = eventMarkers(t).map((e) => ({ ...e, label: `${e.name} ${e.t.toFixed(3)} s` }));
  const placed = placeInRows(
    events.map((e) => ({ x: X(e.t), width: textWidth(e.label, 11) + 4 })),
    WIDTH - 4,
  );
  const rows = Math.max(0, ...placed.map((p) => p.row + 1));
  const top = HEADER + rows * ROW + (rows > 0 ? 8 : 4);
  const bottom = top + PLOT_HEIGHT;
  return {
    X,
    // Seq k occupies the band [k - 0.5, k + 0.5]: the pause boundary then falls between seq H-1 and seq H.
    Y: (seq: number) => bottom - ((seq + 0.5) / (seqMax + 1)) * PLOT_HEIGHT,
    xTicks: x.ticks.filter((v) => v <= xMax),
    yTicks: niceTicks(0, Math.max(seqMax, 1), 6, 1).ticks.filter((v) => v <= seqMax),
    decimals: decimalsFor(x.step),
    events,
    placed,
    top,
    bottom,
    height: bottom + 84,
    seqMax,
    pxPerSeq: PLOT_HEIGHT / (seqMax + 1),
    thinned: marks.arrived.length + marks.resends.length + marks.drops.length > MARK_LIMIT,
  };
}

/** Each time the network carried nothing (a partition, a router restart), shaded across the plot. */
function outages(t: DownloadTimeline, l: Layout, tEnd: number): string[] {
  return outageBands(t, tEnd).map((b) => {
    const x0 = l.X(b.t0);
    return `<rect class="outage" x="${f(x0)}" y="${l.top}" width="${f(Math.max(1, l.X(b.t1) - x0))}" height="${l.bottom - l.top}" fill="${CHART_COLORS.drop}" fill-opacity="0.09"><title>${esc(b.label)}</title></rect>`;
  });
}

function header(t: DownloadTimeline, l: Layout): string[] {
  const c = t.counts;
  const tally = `: sent ${c.sent}, dropped ${c.dropped}, resent ${c.resent}`;
  const subtitle = [
    `N = ${t.n} datagrams`,
    `pause H = ${t.h}${t.hSource === 'observed' ? ' (observed)' : ''}`,
    `${c.requests} resend request${c.requests === 1 ? '' : 's'}`,
    `server ${t.server.ip}:${t.server.tcpPort}`,
    t.startedAt,
  ].join('  ·  ');
  const anomalies =
    t.anomalies.length > 0
      ? `<tspan fill="${OUTCOME_COLOR.unfinished}">  ·  ${t.anomalies.length} anomal${t.anomalies.length === 1 ? 'y' : 'ies'}: see timeline.txt</tspan>`
      : '';
  return [
    `<title>${esc(`${t.file} by ${t.client.ip} — ${t.outcome}${tally}`)}</title>`,
    `<rect width="${WIDTH}" height="${l.height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="26" font-size="16" font-weight="600" fill="${CHART_COLORS.text}">${esc(`${shorten(t.file, 56)} by ${t.client.ip} — `)}<tspan fill="${OUTCOME_COLOR[t.outcome]}">${t.outcome}</tspan>${esc(tally)}</text>`,
    `<text x="${LEFT}" y="46" font-size="12" fill="${CHART_COLORS.muted}">${esc(subtitle)}${anomalies}</text>`,
  ];
}

function axes(l: Layout): string[] {
  const out = [`<g stroke="${CHART_COLORS.grid}" stroke-width="1">`];
  for (const v of l.xTicks) out.push(`<line x1="${f(l.X(v))}" y1="${l.top}" x2="${f(l.X(v))}" y2="${l.bottom}"/>`);
  for (const v of l.yTicks) out.push(`<line x1="${LEFT}" y1="${f(l.Y(v))}" x2="${RIGHT}" y2="${f(l.Y(v))}"/>`);
  out.push('</g>', `<g font-size="11" fill="${CHART_COLORS.muted}">`);
  for (const v of l.xTicks)
    out.push(`<text x="${f(l.X(v))}" y="${l.bottom + 17}" text-anchor="middle">${v.toFixed(l.decimals)}</text>`);
  for (const v of l.yTicks) out.push(`<text x="${LEFT - 7}" y="${f(l.Y(v) + 4)}" text-anchor="end">${v}</text>`);
  out.push(
    '</g>',
    `<path d="M${LEFT} ${l.top}V${l.bottom}H${RIGHT}" fill="none" stroke="${CHART_COLORS.axis}" stroke-width="1"/>`,
    `<text x="${(LEFT + RIGHT) / 2}" y="${l.bottom + 36}" font-size="12" text-anchor="middle" fill="${CHART_COLORS.text}">time since the client asked for the file (s)</text>`,
    `<text transform="translate(20 ${(l.top + l.bottom) / 2}) rotate(-90)" font-size="12" text-anchor="middle" fill="${CHART_COLORS.text}">seq (0 – ${l.seqMax})</text>`,
  );
  return out;
}

/** The pause boundary, then the event markers: behind the marks, which matter more. */
function pauseAndEvents(t: DownloadTimeline, l: Layout): string[] {
  const out: string[] = [];
  if (t.n > 0) {
    const py = f(l.Y(t.h - 0.5));
    out.push(
      `<g class="pause-line" data-h="${t.h}"><title>${esc(`pause boundary: seq 0–${t.h - 1} before the pause, seq ${t.h}–${l.seqMax} only after proceed`)}</title>`,
      `<line x1="${LEFT}" y1="${py}" x2="${RIGHT}" y2="${py}" stroke="${CHART_COLORS.pause}" stroke-width="1.2" stroke-dasharray="6 4"/>`,
      `<text x="${LEFT + 6}" y="${f(Number(py) - 5)}" font-size="11" fill="${CHART_COLORS.pause}" ${HALO}>pause H = ${t.h}</text></g>`,
    );
  }
  l.events.forEach((e, i) => {
    const p = l.placed[i];
    const ly = HEADER + p.row * ROW + 11;
    const ex = f(l.X(e.t));
    out.push(
      `<g class="marker"><title>${esc(`${e.name} at ${e.t.toFixed(6)} s`)}</title>`,
      `<line x1="${ex}" y1="${ly + 3}" x2="${ex}" y2="${l.bottom}" stroke="${CHART_COLORS.marker}" stroke-width="1" stroke-dasharray="2 3"/>`,
      `<text x="${p.anchor === 'start' ? f(l.X(e.t) + 3) : f(l.X(e.t) - 3)}" y="${ly}" font-size="11" text-anchor="${p.anchor}" fill="${CHART_COLORS.marker}" ${HALO}>${esc(e.label)}</text></g>`,
    );
  });
  return out;
}

/** A request is drawn as the exact seqs it names: a short tick on each seq's row, at the time it was sent. */
function requestMarks(marks: ReturnType<typeof chartMarks>, l: Layout): string[] {
  const half = clamp(l.pxPerSeq * 0.45, 0.6, 4);
  const out = [`<g stroke="${CHART_COLORS.request}" stroke-width="${half < 1.2 ? 1 : 1.6}">`];
  for (const q of marks.requests) {
    const qx = l.X(q.t);
    const ticks = q.seqs.map((s) => `M${f(qx - 3)} ${f(l.Y(s))}h6`).join('');
    out.push(`<path class="request" d="${ticks}"><title>${esc(requestTitle(q.t, q.seqs))}</title></path>`);
  }
  out.push('</g>');
  return out;
}

/** First transmissions, then resends, then drops on top: drops are rare and what a reader looks for. */
function transmissionMarks(marks: ReturnType<typeof chartMarks>, l: Layout): string[] {
  const r = clamp(l.pxPerSeq * 0.3, 1.4, 3.2);
  const resendR = clamp(l.pxPerSeq * 0.4, 2, 4);
  // Dense losses would bury the ramp under full-size crosses: they shrink with the rows, but stay legible.
  const cross = clamp(l.pxPerSeq * 0.4, 2.2, 4.5);
  const out: string[] = [];
  if (l.thinned) {
    const sorted = [...marks.arrived].sort((a, b) => a.t - b.t || a.seq - b.seq);
    out.push(
      `<path class="send-line" d="${thinPath(sorted.map((m) => ({ x: l.X(m.t), y: l.Y(m.seq) })))}" fill="none" stroke="${CHART_COLORS.first}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">`,
      `<title>${marks.arrived.length} first transmissions that arrived, drawn as a line: too many to mark one by one</title></path>`,
    );
  } else {
    out.push(`<g fill="${CHART_COLORS.first}">`);
    for (const m of marks.arrived)
      out.push(
        `<circle class="send" cx="${f(l.X(m.t))}" cy="${f(l.Y(m.seq))}" r="${f(r)}"><title>${markTitle(m)}</title></circle>`,
      );
    out.push('</g>');
  }
  out.push(`<g fill="${CHART_COLORS.resend}">`);
  for (const m of marks.resends)
    out.push(
      `<circle class="resend" cx="${f(l.X(m.t))}" cy="${f(l.Y(m.seq))}" r="${f(resendR)}"><title>${markTitle(m)}</title></circle>`,
    );
  out.push(
    '</g>',
    `<g stroke="${CHART_COLORS.drop}" stroke-width="${l.pxPerSeq < 2 ? 1.3 : 1.8}" stroke-linecap="round">`,
  );
  for (const m of marks.drops) {
    const [mx, my] = [l.X(m.t), l.Y(m.seq)];
    const d = `M${f(mx - cross)} ${f(my - cross)}L${f(mx + cross)} ${f(my + cross)}M${f(mx - cross)} ${f(my + cross)}L${f(mx + cross)} ${f(my - cross)}`;
    out.push(`<path class="${m.attempt > 0 ? 'drop resend' : 'drop'}" d="${d}"><title>${markTitle(m)}</title></path>`);
  }
  out.push('</g>');
  return out;
}

const HALO = 'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"';

function eventMarkers(t: DownloadTimeline): { name: string; t: number }[] {
  const named = (e: DownloadTimeline['events'][number]): string | null => {
    if (e.kind === 'count') return `|${e.n}`;
    if (e.kind === 'udp-port') return `udp|${e.port}`;
    if (e.kind === 'pause-reached') return 'pause reached';
    if (e.kind === 'proceed' || e.kind === 'stop' || e.kind === 'end') return e.kind;
    if (e.kind === 'server-silent') return 'server silent';
    if (e.kind === 'network') return e.what;
    return null;
  };
  return t.events.flatMap((e) => {
    const name = named(e);
    return name === null ? [] : [{ name, t: e.t }];
  });
}

function legend(
  y: number,
  s: { thinned: boolean; arrived: number; resent: number; dropped: number; requests: number; h: number },
): string {
  const items: [string, string][] = [
    [
      s.thinned
        ? `<line x1="0" y1="0" x2="14" y2="0" stroke="${CHART_COLORS.first}" stroke-width="2"/>`
        : `<circle cx="7" cy="0" r="3" fill="${CHART_COLORS.first}"/>`,
      `first transmission (${s.arrived})`,
    ],
    [`<circle cx="7" cy="0" r="3.6" fill="${CHART_COLORS.resend}"/>`, `resend that arrived (${s.resent})`],
    [
      `<path d="M3 -4L11 4M3 4L11 -4" stroke="${CHART_COLORS.drop}" stroke-width="1.8" stroke-linecap="round"/>`,
      `dropped (${s.dropped})`,
    ],
    [
      `<line x1="4" y1="0" x2="10" y2="0" stroke="${CHART_COLORS.request}" stroke-width="1.6"/>`,
      `requested seq (${s.requests})`,
    ],
    [
      `<line x1="0" y1="0" x2="16" y2="0" stroke="${CHART_COLORS.pause}" stroke-width="1.2" stroke-dasharray="5 3"/>`,
      `pause boundary H = ${s.h}`,
    ],
  ];
  let x = LEFT;
  const parts = items.map(([symbol, text]) => {
    const g = `<g transform="translate(${f(x)} ${y})">${symbol}<text x="21" y="4" font-size="11.5" fill="${CHART_COLORS.text}">${esc(text)}</text></g>`;
    x += 21 + textWidth(text, 11.5) + 22;
    return g;
  });
  return `<g class="legend">${parts.join('')}</g>`;
}

function markTitle(m: Transmission): string {
  return `seq ${m.seq}, transmission ${m.attempt + 1}, ${m.t.toFixed(6)} s${m.dropped ? ': dropped by the link' : ''}`;
}

function requestTitle(at: number, seqs: number[]): string {
  const shown = seqs.length > 24 ? `${seqs.slice(0, 24).join(', ')}, …` : seqs.join(', ');
  return `resend request at ${at.toFixed(6)} s: ${seqs.length} seq${seqs.length === 1 ? '' : 's'} (${shown})`;
}

/** An estimate good enough to keep labels apart: no font metrics without a renderer. */
function textWidth(text: string, size: number): number {
  return text.length * size * 0.55;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function f(v: number): string {
  return String(Math.round(v * 10) / 10);
}
