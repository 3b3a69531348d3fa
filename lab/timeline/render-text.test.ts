import { describe, expect, it } from 'vitest';
import { renderTimelineText } from './render-text.ts';
import type { DownloadTimeline } from './types.ts';

const timeline = (events: DownloadTimeline['events']): DownloadTimeline => ({
  client: { ip: '10.0.1.11', tcpPort: 40000 },
  server: { ip: '10.0.0.10', tcpPort: 55000 },
  file: 'q.txt',
  udpPort: 41000,
  n: 6,
  h: 3,
  hSource: 'pause-percent',
  startedAt: '2026-11-25T21:00:00.000Z',
  startUs: 0,
  outcome: 'completed',
  finalLine: 'User a downloaded 100% out of file. Last byte is: 10',
  captures: { sent: 'sent.pcap', received: 'received.pcap', atClient: null, control: 'sent.pcap' },
  bytes: 12022,
  pauseReachedAt: 0.2,
  proceedAt: 0.21,
  stopAt: 0.3,
  counts: { sent: 7, dropped: 1, resent: 1, received: 6, requests: 1, requestedSeqs: 1 },
  perSeq: [],
  drops: [{ seq: 1, attempt: 0, t: 0.01 }],
  requests: [{ t: 0.11, seqs: [1], frame: 9 }],
  anomalies: [],
  events,
});

describe('renderTimelineText', () => {
  it('tells the story: folds undisturbed sends, shows each drop, request and resend', () => {
    const text = renderTimelineText(
      timeline([
        { t: 0, kind: 'download', file: 'q.txt', frame: 1 },
        { t: 0.001, kind: 'count', n: 6, frame: 1 },
        { t: 0.002, kind: 'udp-port', port: 41000, frame: 1 },
        { t: 0.01, kind: 'send', seq: 0, attempt: 0, dropped: false, frame: 1, arrived: null },
        { t: 0.01, kind: 'send', seq: 1, attempt: 0, dropped: true, frame: 1, arrived: null },
        { t: 0.01, kind: 'send', seq: 2, attempt: 0, dropped: false, frame: 1, arrived: null },
        { t: 0.11, kind: 'request', seqs: [1], frame: 1 },
        { t: 0.12, kind: 'resend', seq: 1, attempt: 1, dropped: false, frame: 1, arrived: null },
        { t: 0.2, kind: 'pause-reached', h: 3 },
        { t: 0.21, kind: 'proceed', frame: 1 },
        { t: 0.22, kind: 'send', seq: 3, attempt: 0, dropped: false, frame: 1, arrived: null },
        { t: 0.22, kind: 'send', seq: 4, attempt: 0, dropped: false, frame: 1, arrived: null },
        { t: 0.22, kind: 'send', seq: 5, attempt: 0, dropped: false, frame: 1, arrived: null },
        { t: 0.3, kind: 'stop', frame: 1 },
        {
          t: 0.31,
          kind: 'end',
          outcome: 'completed',
          line: 'User a downloaded 100% out of file. Last byte is: 10',
          frame: 1,
        },
      ]),
    );
    const body = text
      .split('\n')
      .slice(4)
      .map((l) => l.trim());
    expect(body).toEqual([
      '0.000000  client → server: download|q.txt',
      '0.001000  server → client: |6',
      '0.002000  client → server: udp|41000',
      '0.010000  seq 0 sent',
      '0.010000  seq 1 sent — DROPPED by the link',
      '0.010000  seq 2 sent',
      '0.110000  client → server: resend of seq 1',
      '0.120000  seq 1 resent (transmission 2)',
      '0.200000  the client holds seq 0–2: the pause',
      '0.210000  client → server: proceed',
      '0.220000  seq 3–5 sent',
      '0.300000  client → server: stop',
      '0.310000  server → client: User a downloaded 100% out of file. Last byte is: 10',
      '',
    ]);
    expect(text).toContain('sent 7, dropped by the link 1, resent 1');
  });
});
