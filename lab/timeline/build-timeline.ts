import { pauseBoundary } from '../../services/protocol/datagram.ts';
import { findDownloads, type DownloadControl } from './control-sessions.ts';
import { datagramTimes, matchTransmissions, type Transmission } from './transmissions.ts';
import type { DownloadTimeline, SeqSummary, TimelineEvent, TimelineInput } from './types.ts';

/** One timeline per download found in the control lines, in the order they started. */
export function buildTimelines(input: TimelineInput): DownloadTimeline[] {
  const control = input.controlFrom === 'received' ? input.received : input.sent;
  const downloads = findDownloads(control.controlLines, input.serverIp);
  return downloads.map((d) => buildOne(input, d, nextStartOnSameClient(downloads, d)));
}

function nextStartOnSameClient(all: DownloadControl[], d: DownloadControl): number {
  const later = all.filter((o) => o.client.ip === d.client.ip && o.startUs > d.startUs).map((o) => o.startUs);
  return later.length ? Math.min(...later) : Number.POSITIVE_INFINITY;
}

function buildOne(input: TimelineInput, d: DownloadControl, untilUs: number): DownloadTimeline {
  const rel = (us: number) => Math.round(us - d.startUs) / 1e6;
  const relOrNull = (us: number | null) => (us === null ? null : rel(us));
  const anomalies = [...d.anomalies];
  const transmissions: Transmission[] = [];
  const arrivals = new Map<number, number[]>();
  if (d.udpPort !== null && d.udpAtUs !== null) {
    const flow = { serverIp: input.serverIp, clientIp: d.client.ip, udpPort: d.udpPort, fromUs: d.udpAtUs, untilUs };
    const sent = datagramTimes(input.sent.udp, flow);
    const received = datagramTimes(input.received.udp, flow);
    if (sent.size > 0 && received.size === 0)
      anomalies.push(
        `the received side (${input.received.source}) holds none of this download's datagrams: is it the right capture?`,
      );
    for (const seq of new Set([...sent.keys(), ...received.keys()])) {
      if (seq >= d.n) anomalies.push(`datagram seq ${seq} is out of range for N = ${d.n}`);
      const m = matchTransmissions(seq, sent.get(seq) ?? [], received.get(seq) ?? []);
      transmissions.push(...m.transmissions);
      arrivals.set(seq, received.get(seq) ?? []);
      for (const a of m.unmatchedArrivals)
        anomalies.push(`seq ${seq} arrived at ${rel(a)} s with no matching transmission on the sent side`);
    }
  } else anomalies.push('the client never sent `udp|<port>`');
  transmissions.sort((a, b) => a.tsUs - b.tsUs || a.seq - b.seq);

  const { h, hSource } = boundary(input.pausePercent, d, transmissions);
  const pauseUs = h < d.n ? timeAllHeld(h, arrivals) : null;
  const events: [number, TimelineEvent][] = [
    [d.startUs, { t: 0, kind: 'download', file: d.file }],
    [d.nAtUs, { t: rel(d.nAtUs), kind: 'count', n: d.n }],
    ...transmissions.map((x): [number, TimelineEvent] => [
      x.tsUs,
      { t: rel(x.tsUs), kind: x.attempt ? 'resend' : 'send', seq: x.seq, attempt: x.attempt, dropped: x.dropped },
    ]),
    ...d.requests.map((r): [number, TimelineEvent] => [r.tsUs, { t: rel(r.tsUs), kind: 'request', seqs: r.seqs }]),
  ];
  if (d.udpAtUs !== null && d.udpPort !== null)
    events.push([d.udpAtUs, { t: rel(d.udpAtUs), kind: 'udp-port', port: d.udpPort }]);
  if (pauseUs !== null) events.push([pauseUs, { t: rel(pauseUs), kind: 'pause-reached', h }]);
  if (d.proceedUs !== null) events.push([d.proceedUs, { t: rel(d.proceedUs), kind: 'proceed' }]);
  if (d.stopUs !== null) events.push([d.stopUs, { t: rel(d.stopUs), kind: 'stop' }]);
  if (d.end) events.push([d.end.tsUs, { t: rel(d.end.tsUs), kind: 'end', outcome: d.end.outcome, line: d.end.line }]);
  // A stable sort keeps `download` ahead of anything stamped in the same microsecond.
  events.sort((a, b) => a[0] - b[0]);

  const perSeq = summarise(d, transmissions, arrivals);
  const drops = transmissions.filter((x) => x.dropped).map((x) => ({ seq: x.seq, attempt: x.attempt, t: rel(x.tsUs) }));
  return {
    client: { ip: d.client.ip, tcpPort: d.client.port },
    server: { ip: d.server.ip, tcpPort: d.server.port },
    file: d.file,
    udpPort: d.udpPort,
    n: d.n,
    h,
    hSource,
    startedAt: new Date(d.startUs / 1000).toISOString(),
    startUs: d.startUs,
    outcome: d.end?.outcome ?? 'unfinished',
    finalLine: d.end?.line ?? null,
    pauseReachedAt: relOrNull(pauseUs),
    proceedAt: relOrNull(d.proceedUs),
    stopAt: relOrNull(d.stopUs),
    counts: {
      sent: transmissions.length,
      dropped: drops.length,
      resent: transmissions.filter((x) => x.attempt > 0).length,
      received: [...arrivals.values()].reduce((n, a) => n + a.length, 0),
      requests: d.requests.length,
      requestedSeqs: d.requests.reduce((n, r) => n + r.seqs.length, 0),
    },
    perSeq,
    drops,
    requests: d.requests.map((r) => ({ t: rel(r.tsUs), seqs: r.seqs })),
    anomalies,
    events: events.map(([, e]) => e),
  };
}

/**
 * H from the pause percentage when the caller knows it; otherwise the highest
 * seq first sent before `proceed` (or `stop`) + 1, which cannot expose a server
 * that sends past the pause: scenarios that check the pause should pass it.
 */
function boundary(
  pausePercent: number | undefined,
  d: DownloadControl,
  tx: Transmission[],
): { h: number; hSource: DownloadTimeline['hSource'] } {
  if (pausePercent !== undefined) return { h: pauseBoundary(d.n, pausePercent), hSource: 'pause-percent' };
  const cut = d.proceedUs ?? (d.end?.outcome === 'stopped' ? d.end.tsUs : null);
  if (cut === null) return { h: d.n, hSource: 'observed' };
  const before = tx.filter((x) => x.attempt === 0 && x.tsUs < cut).map((x) => x.seq);
  return { h: Math.min(d.n, before.length ? Math.max(...before) + 1 : 0), hSource: 'observed' };
}

/** When the client first held every seq below h, from the received side; null if it never did. */
function timeAllHeld(h: number, arrivals: Map<number, number[]>): number | null {
  let latest = -Infinity;
  for (let seq = 0; seq < h; seq++) {
    const first = arrivals.get(seq)?.[0];
    if (first === undefined) return null;
    latest = Math.max(latest, first);
  }
  return h > 0 ? latest : null;
}

function summarise(d: DownloadControl, tx: Transmission[], arrivals: Map<number, number[]>): SeqSummary[] {
  const requested = new Map<number, number>();
  for (const r of d.requests) for (const s of r.seqs) requested.set(s, (requested.get(s) ?? 0) + 1);
  const seqs = new Set([...arrivals.keys(), ...requested.keys()]);
  for (let s = 0; s < d.n; s++) seqs.add(s);
  const bySeq = new Map<number, Transmission[]>();
  for (const x of tx) bySeq.set(x.seq, [...(bySeq.get(x.seq) ?? []), x]);
  return [...seqs]
    .sort((a, b) => a - b)
    .map((seq) => {
      const mine = bySeq.get(seq) ?? [];
      return {
        seq,
        sent: mine.length,
        dropped: mine.filter((x) => x.dropped).length,
        received: arrivals.get(seq)?.length ?? 0,
        requested: requested.get(seq) ?? 0,
      };
    });
}
