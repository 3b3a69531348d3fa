import type { DownloadTimeline } from '../timeline/types.ts';

export interface Transmission {
  t: number;
  seq: number;
  /** 0 for the first transmission, 1 for the first resend, … */
  attempt: number;
  dropped: boolean;
}

export interface ChartMarks {
  /** First transmissions that crossed the link: the bulk of any download, the only marks ever thinned. */
  arrived: Transmission[];
  /** Resends that crossed the link. */
  resends: Transmission[];
  /** Every transmission the link dropped, first or resend. */
  drops: Transmission[];
  requests: DownloadTimeline['requests'];
  /** The latest time anything happened, for the x axis. */
  tEnd: number;
}

/** Sorts a timeline's events into the kinds of mark the chart draws. */
export function chartMarks(t: DownloadTimeline): ChartMarks {
  const marks: ChartMarks = { arrived: [], resends: [], drops: [], requests: t.requests, tEnd: 0 };
  for (const e of t.events) {
    marks.tEnd = Math.max(marks.tEnd, e.t);
    if (e.kind !== 'send' && e.kind !== 'resend') continue;
    const tx = { t: e.t, seq: e.seq, attempt: e.attempt, dropped: e.dropped };
    if (e.dropped) marks.drops.push(tx);
    else if (e.kind === 'resend') marks.resends.push(tx);
    else marks.arrived.push(tx);
  }
  return marks;
}
