import type { DownloadTimeline } from './types.ts';

/** Something the lab did to the network during a story, stamped with the router's clock (the pcaps' clock). */
export interface NetworkEvent {
  tsUs: number;
  what: string;
  /** Whether the network stops carrying packets here (a partition, a restart) or carries them again. */
  outage?: 'begins' | 'ends';
}

/**
 * Puts the network events into each download they happened during, in time order, so that a
 * timeline shows a partition or a router restart beside the drops and the recovery it caused.
 * A download's span runs from its `download|` line to its last event (for ever, if unfinished).
 */
export function withNetworkEvents(timelines: readonly DownloadTimeline[], events: readonly NetworkEvent[]): void {
  for (const t of timelines) {
    const lastT = t.outcome === 'unfinished' ? Infinity : (t.events.at(-1)?.t ?? 0);
    const mine = events
      .map((e) => ({ t: Math.round(e.tsUs - t.startUs) / 1e6, what: e.what, outage: e.outage }))
      .filter((e) => e.t >= 0 && e.t <= lastT);
    if (mine.length === 0) continue;
    // A stable merge: an event the lab stamped in the same microsecond as a packet comes after it.
    const merged = [
      ...t.events,
      ...mine.map((e) => ({
        t: e.t,
        kind: 'network' as const,
        what: e.what,
        ...(e.outage ? { outage: e.outage } : {}),
      })),
    ];
    t.events.splice(0, t.events.length, ...merged.sort((a, b) => a.t - b.t));
  }
}
