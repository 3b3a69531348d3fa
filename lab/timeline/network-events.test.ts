import { describe, expect, it } from 'vitest';
import { withNetworkEvents } from './network-events.ts';
import { renderTimelineText } from './render-text.ts';
import { bareTimeline } from './testing/bare-timeline.ts';
import type { DownloadTimeline } from './types.ts';

const events: DownloadTimeline['events'] = [
  { t: 0, kind: 'download', file: 'q.txt', frame: 1 },
  { t: 1, kind: 'send', seq: 0, attempt: 0, dropped: true, arrived: null, frame: 5 },
  { t: 6, kind: 'resend', seq: 0, attempt: 1, dropped: false, arrived: { t: 6, frame: 9 }, frame: 8 },
];
const timeline = (startUs: number, outcome: DownloadTimeline['outcome'] = 'completed') =>
  bareTimeline(structuredClone(events), { startUs, outcome });

describe('network events in a timeline', () => {
  it('go into the downloads they happened during, in time order, and show in timeline.txt', () => {
    const during = timeline(10_000_000);
    const before = timeline(100_000_000);
    const network = [
      { tsUs: 11_500_000, what: 'partition: the router drops everything both ways' },
      { tsUs: 15_000_000, what: 'healed' },
      { tsUs: 90_000_000, what: 'unrelated, later' },
    ];
    withNetworkEvents([during, before], network);
    expect(during.events.map((e) => `${e.t} ${e.kind}`)).toEqual([
      '0 download',
      '1 send',
      '1.5 network',
      '5 network',
      '6 resend',
    ]);
    expect(before.events.some((e) => e.kind === 'network')).toBe(false);
    expect(renderTimelineText(during)).toMatch(/1\.500000 +network: partition: the router drops everything both ways/);
  });

  it('go into an unfinished download however late they came', () => {
    const open = timeline(0, 'unfinished');
    withNetworkEvents([open], [{ tsUs: 60_000_000, what: 'router restarted' }]);
    expect(open.events.at(-1)).toEqual({ t: 60, kind: 'network', what: 'router restarted' });
  });
});
