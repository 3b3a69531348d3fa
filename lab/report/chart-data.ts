import type { DownloadTimeline, TimelineEvent } from '../timeline/types.ts';

/** One kind of mark: parallel columns, so that 500,000 datagrams stay a few arrays of numbers. */
export interface MarkSeries {
  t: number[];
  seq: number[];
  frame: number[];
}

/**
 * The kinds of mark, disjoint: every copy of a datagram is exactly one of them, so legend counts add up.
 * An arrival is `late` when a datagram the server sent after it arrived before it (reordering), else `atClient`.
 */
export const SERIES = ['first', 'firstDropped', 'resend', 'resendDropped', 'requested', 'atClient', 'late'] as const;
export type SeriesName = (typeof SERIES)[number];

export interface EventMark {
  kind: 'count' | 'udp-port' | 'pause-reached' | 'proceed' | 'stop' | 'end' | 'server-silent' | 'network';
  t: number;
  label: string;
  frame: number | null;
}

/** A time the network carried nothing (a partition, a router restart), from its start to its end. */
export interface OutageBand {
  t0: number;
  t1: number;
  label: string;
}

export interface ChartData {
  title: string;
  outcome: DownloadTimeline['outcome'];
  n: number;
  h: number;
  bytes: number | null;
  /** File bytes a full datagram carried; null where the timeline does not say (the seed's 2043 then). */
  block: number | null;
  /** Whether arrivals are the client's own capture or the router's client side. */
  arrivalsAt: 'client' | 'received side';
  /** The capture file each series' frame numbers refer to. */
  captures: Record<SeriesName, string | null>;
  series: Record<SeriesName, MarkSeries>;
  events: EventMark[];
  outages: OutageBand[];
  tEnd: number;
}

function push(s: MarkSeries, t: number, seq: number, frame: number): void {
  s.t.push(t);
  s.seq.push(seq);
  s.frame.push(frame);
}

function seriesOf(t: DownloadTimeline): Record<SeriesName, MarkSeries> {
  const empty = (): MarkSeries => ({ t: [], seq: [], frame: [] });
  const series: Record<SeriesName, MarkSeries> = {
    first: empty(),
    firstDropped: empty(),
    resend: empty(),
    resendDropped: empty(),
    requested: empty(),
    atClient: empty(),
    late: empty(),
  };
  const arrivals: { t: number; seq: number; frame: number; sentAt: number }[] = [];
  for (const e of t.events) {
    if (e.kind === 'request') for (const seq of e.seqs) push(series.requested, e.t, seq, e.frame);
    if (e.kind !== 'send' && e.kind !== 'resend') continue;
    const x = e;
    const kind: SeriesName =
      x.attempt === 0 ? (x.dropped ? 'firstDropped' : 'first') : x.dropped ? 'resendDropped' : 'resend';
    push(series[kind], x.t, x.seq, x.frame);
    // Without the client's own capture, arrival is where the received side saw it.
    const arrival = t.captures.atClient ? x.atClient : x.arrived;
    if (arrival) arrivals.push({ ...arrival, seq: x.seq, sentAt: x.t });
  }
  // Late: some datagram sent after it arrived before it. From the last sent backwards, the earliest arrival so far.
  let earliestLater = Infinity;
  const late = new Array<boolean>(arrivals.length);
  for (let i = arrivals.length - 1; i >= 0; i--) {
    late[i] = arrivals[i].t > earliestLater;
    earliestLater = Math.min(earliestLater, arrivals[i].t);
  }
  arrivals.forEach((a, i) => push(late[i] ? series.late : series.atClient, a.t, a.seq, a.frame));
  // Arrivals can overtake each other on the path; every column is searched by time.
  sortByTime(series.atClient);
  sortByTime(series.late);
  return series;
}

function sortByTime(s: MarkSeries): void {
  const order = s.t.map((_, i) => i).sort((a, b) => s.t[a] - s.t[b]);
  const pick = (col: number[]) => order.map((i) => col[i]);
  [s.t, s.seq, s.frame] = [pick(s.t), pick(s.seq), pick(s.frame)];
}

const EVENT_LABEL: Record<EventMark['kind'], (e: TimelineEvent) => string> = {
  count: (e) => (e.kind === 'count' ? `|${e.n}` : ''),
  'udp-port': (e) => (e.kind === 'udp-port' ? `udp|${e.port}` : ''),
  'pause-reached': () => 'pause',
  proceed: () => 'proceed',
  stop: () => 'stop',
  end: () => 'end',
  'server-silent': () => 'server silent',
  network: (e) => (e.kind === 'network' ? e.what : ''),
};

function eventMarks(t: DownloadTimeline): EventMark[] {
  return t.events.flatMap((e): EventMark[] => {
    if (!(e.kind in EVENT_LABEL)) return [];
    const kind = e.kind as EventMark['kind'];
    return [{ kind, t: e.t, label: EVENT_LABEL[kind](e), frame: 'frame' in e ? e.frame : null }];
  });
}

/** The outages the lab caused during the download; one still going at the end lasts to `tEnd`. */
export function outageBands(t: DownloadTimeline, tEnd: number): OutageBand[] {
  const bands: OutageBand[] = [];
  let open: { t: number; label: string } | null = null;
  for (const e of t.events) {
    if (e.kind !== 'network' || !e.outage) continue;
    if (e.outage === 'begins') {
      open ??= { t: e.t, label: e.what };
      continue;
    }
    // An outage that began before the download shows from its start.
    bands.push({ t0: open?.t ?? 0, t1: e.t, label: open?.label ?? e.what });
    open = null;
  }
  if (open) bands.push({ t0: open.t, t1: tEnd, label: open.label });
  return bands;
}

/** What the report's interactive chart of one download draws: the timeline sorted into marks, and its events. */
export function chartData(t: DownloadTimeline): ChartData {
  const series = seriesOf(t);
  const sent = t.captures.sent;
  const arrivedIn = t.captures.atClient ?? t.captures.received;
  const tEnd = latest(t, series.atClient.t, series.late.t);
  return {
    title: `${t.file} by ${t.client.ip}`,
    outcome: t.outcome,
    n: t.n,
    h: t.h,
    bytes: t.bytes,
    block: t.block ?? null,
    arrivalsAt: t.captures.atClient ? 'client' : 'received side',
    captures: {
      first: sent,
      firstDropped: sent,
      resend: sent,
      resendDropped: sent,
      requested: t.captures.control,
      atClient: arrivedIn,
      late: arrivedIn,
    },
    series,
    events: eventMarks(t),
    outages: outageBands(t, tEnd),
    tEnd,
  };
}

/** A loop, not Math.max(...): a spread of 500,000 arguments overflows the stack. */
function latest(t: DownloadTimeline, ...arrivals: number[][]): number {
  let end = 0.001;
  for (const e of t.events) if (e.t > end) end = e.t;
  for (const column of arrivals) for (const a of column) if (a > end) end = a;
  return end;
}
