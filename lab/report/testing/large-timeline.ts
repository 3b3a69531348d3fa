import { pauseBoundary } from '../../../services/protocol/datagram.ts';
import type { DownloadTimeline, TimelineEvent } from '../../timeline/types.ts';

/**
 * Test support: a download of `n` datagrams over a lossy link, as a timeline (no pcap: half a million
 * datagrams would take minutes to write and read). Datagrams 20 µs apart, `lossEvery`-th one dropped,
 * one request per part naming every drop, each resent once and arriving.
 */
export function largeTimeline(n: number, lossEvery: number): DownloadTimeline {
  const h = pauseBoundary(n, 50);
  const events: TimelineEvent[] = [
    { t: 0, kind: 'download', file: 'big.bin', frame: 4 },
    { t: 0.001, kind: 'count', n, frame: 5 },
    { t: 0.002, kind: 'udp-port', port: 44818, frame: 6 },
  ];
  let t = 0.003;
  let frame = 7;
  const requests: DownloadTimeline['requests'] = [];
  const part = (from: number, to: number) => {
    const lost: number[] = [];
    for (let seq = from; seq < to; seq++, t += 0.00002) {
      const dropped = seq % lossEvery === lossEvery - 1;
      if (dropped) lost.push(seq);
      const arrived = dropped ? null : { t: t + 0.0001, frame: frame };
      events.push({ t, kind: 'send', seq, attempt: 0, dropped, frame: frame++, arrived });
    }
    t += 0.1;
    if (lost.length === 0) return;
    requests.push({ t, seqs: lost, frame });
    events.push({ t, kind: 'request', seqs: lost, frame: frame++ });
    for (const seq of lost) {
      t += 0.00002;
      events.push({
        t,
        kind: 'resend',
        seq,
        attempt: 1,
        dropped: false,
        frame,
        arrived: { t: t + 0.0001, frame: frame++ },
      });
    }
  };
  part(0, h);
  events.push({ t: t + 0.001, kind: 'pause-reached', h }, { t: t + 0.01, kind: 'proceed', frame: frame++ });
  t += 0.02;
  part(h, n);
  events.push({
    t,
    kind: 'end',
    outcome: 'completed',
    line: 'User alice downloaded 100% out of file. Last byte is: 7',
    frame,
  });
  const sent = events.filter((e) => e.kind === 'send' || e.kind === 'resend').length;
  const dropped = events.filter((e) => (e.kind === 'send' || e.kind === 'resend') && e.dropped).length;
  return {
    client: { ip: '10.77.1.20', tcpPort: 38000 },
    server: { ip: '10.77.0.10', tcpPort: 55000 },
    file: 'big.bin',
    udpPort: 44818,
    n,
    h,
    hSource: 'pause-percent',
    startedAt: '2026-11-25T00:00:00.000Z',
    startUs: 0,
    outcome: 'completed',
    finalLine: 'User alice downloaded 100% out of file. Last byte is: 7',
    captures: { sent: 'sent.pcap', received: 'received.pcap', atClient: null, control: 'sent.pcap' },
    bytes: n * 2043,
    pauseReachedAt: null,
    proceedAt: null,
    stopAt: null,
    counts: { sent, dropped, resent: dropped, received: n, requests: requests.length, requestedSeqs: dropped },
    perSeq: [],
    drops: [],
    requests,
    anomalies: [],
    events,
  };
}
