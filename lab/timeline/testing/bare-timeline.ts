import type { DownloadTimeline } from '../types.ts';

/** Test support: a download's timeline with these events and plain values everywhere else. */
export function bareTimeline(
  events: DownloadTimeline['events'],
  over: Partial<DownloadTimeline> = {},
): DownloadTimeline {
  return {
    client: { ip: '10.0.1.11', tcpPort: 40000 },
    server: { ip: '10.0.0.10', tcpPort: 55000 },
    file: 'q.txt',
    udpPort: 41000,
    n: 2,
    h: 1,
    hSource: 'pause-percent',
    startedAt: new Date((over.startUs ?? 0) / 1000).toISOString(),
    startUs: 0,
    outcome: 'completed',
    finalLine: null,
    captures: { sent: 'sent.pcap', received: 'received.pcap', atClient: null, control: 'sent.pcap' },
    bytes: 4000,
    pauseReachedAt: null,
    proceedAt: null,
    stopAt: null,
    counts: { sent: 0, dropped: 0, resent: 0, received: 0, requests: 0, requestedSeqs: 0 },
    perSeq: [],
    drops: [],
    requests: [],
    anomalies: [],
    events,
    ...over,
  };
}
