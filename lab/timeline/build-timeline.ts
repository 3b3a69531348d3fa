import path from 'node:path';
import { pauseBoundary } from '../../services/protocol/datagram.ts';
import type { ControlLine, DecodedCapture } from '../pcap/index.ts';
import { findDownloads, type ObservedDownload } from './control-sessions.ts';
import { datagramTimes, matchTransmissions, pairAtClient, type Seen, type Transmission } from './transmissions.ts';
import type { DownloadTimeline, SeqSummary, TimelineEvent, TimelineInput } from './types.ts';

/** One timeline per download found in the control lines, in the order they started. */
export function buildTimelines(input: TimelineInput): DownloadTimeline[] {
  const control = input.controlFrom === 'received' ? input.received : input.sent;
  const downloads = findDownloads(control.controlLines, input.serverIp);
  const frames = frameIndex(control.controlLines);
  return downloads.map((d) => buildOne(input, d, nextStartOnSameClient(downloads, d), frames));
}

function nextStartOnSameClient(all: ObservedDownload[], d: ObservedDownload): number {
  const later = all.filter((o) => o.client.ip === d.client.ip && o.startUs > d.startUs).map((o) => o.startUs);
  return later.length ? Math.min(...later) : Number.POSITIVE_INFINITY;
}

type FrameOf = (tsUs: number, text: string) => number;

/** The frame of the control line with this time and text: the lines carry their frames, the downloads only times. */
function frameIndex(lines: ControlLine[]): FrameOf {
  const byKey = new Map<string, number>();
  for (const l of lines) if (!byKey.has(`${l.tsUs}|${l.text}`)) byKey.set(`${l.tsUs}|${l.text}`, l.frame);
  return (tsUs, text) => byKey.get(`${tsUs}|${text}`) ?? 0;
}

interface Flow {
  transmissions: Transmission[];
  arrivals: Map<number, Seen[]>;
  atClient: DecodedCapture | null;
  anomalies: string[];
}

/** Every copy of every seq of the download on each capture point, matched into transmissions. */
function followDatagrams(input: TimelineInput, d: ObservedDownload, untilUs: number): Flow {
  const flowOut: Flow = { transmissions: [], arrivals: new Map(), atClient: null, anomalies: [] };
  if (d.udpPort === null || d.udpAtUs === null) {
    flowOut.anomalies.push('the client never sent `udp|<port>`');
    return flowOut;
  }
  const flow = { serverIp: input.serverIp, clientIp: d.client.ip, udpPort: d.udpPort, fromUs: d.udpAtUs, untilUs };
  const sent = datagramTimes(input.sent.udp, flow);
  const received = datagramTimes(input.received.udp, flow);
  flowOut.arrivals = received;
  if (sent.size > 0 && received.size === 0)
    flowOut.anomalies.push(
      `the received side (${path.basename(input.received.source)}) holds none of this download's datagrams: is it the right capture?`,
    );
  const clientSide = (input.atClients ?? [])
    .map((c) => ({ c, seen: datagramTimes(c.udp, flow) }))
    .find((x) => x.seen.size > 0);
  flowOut.atClient = clientSide?.c ?? null;
  for (const seq of new Set([...sent.keys(), ...received.keys()])) {
    if (seq >= d.n) flowOut.anomalies.push(`datagram seq ${seq} is out of range for N = ${d.n}`);
    const m = matchTransmissions(seq, sent.get(seq) ?? [], received.get(seq) ?? []);
    if (clientSide) pairAtClient(m.transmissions, clientSide.seen.get(seq) ?? []);
    flowOut.transmissions.push(...m.transmissions);
    for (const a of m.unmatchedArrivals)
      flowOut.anomalies.push(
        `seq ${seq} arrived at ${Math.round(a.tsUs - d.startUs) / 1e6} s with no matching transmission on the sent side`,
      );
  }
  flowOut.transmissions.sort((a, b) => a.tsUs - b.tsUs || a.seq - b.seq);
  return flowOut;
}

function buildOne(input: TimelineInput, d: ObservedDownload, untilUs: number, frameOf: FrameOf): DownloadTimeline {
  const rel = (us: number) => Math.round(us - d.startUs) / 1e6;
  const relOrNull = (us: number | null) => (us === null ? null : rel(us));
  const flow = followDatagrams(input, d, untilUs);
  const { h, hSource } = boundary(input.pausePercent, d, flow.transmissions);
  const pauseUs = h < d.n ? timeAllHeld(h, flow.arrivals) : null;
  const silentUs = d.end ? null : lastServerPacket(input.sent, input.serverIp, d, untilUs);
  const events = timelineEvents(
    d,
    flow.transmissions,
    { pauseUs, h, silent: silentUs, clientSide: flow.atClient !== null },
    rel,
    frameOf,
  );
  const drops = flow.transmissions
    .filter((x) => x.dropped)
    .map((x) => ({ seq: x.seq, attempt: x.attempt, t: rel(x.tsUs) }));
  const control = input.controlFrom === 'received' ? input.received : input.sent;
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
    captures: {
      sent: path.basename(input.sent.source),
      received: path.basename(input.received.source),
      atClient: flow.atClient ? path.basename(flow.atClient.source) : null,
      control: path.basename(control.source),
    },
    bytes: fileBytes(flow.transmissions),
    block: largestBlock(flow.transmissions),
    pauseReachedAt: relOrNull(pauseUs),
    proceedAt: relOrNull(d.proceedUs),
    stopAt: relOrNull(d.stopUs),
    counts: counts(d, flow, drops.length),
    perSeq: summarise(d, flow.transmissions, flow.arrivals),
    drops,
    requests: d.requests.map((r) => ({ t: rel(r.tsUs), seqs: r.seqs, frame: frameOf(r.tsUs, r.line) })),
    anomalies: [...d.anomalies, ...flow.anomalies],
    events,
  };
}

function counts(d: ObservedDownload, flow: Flow, dropped: number): DownloadTimeline['counts'] {
  return {
    sent: flow.transmissions.length,
    dropped,
    resent: flow.transmissions.filter((x) => x.attempt > 0).length,
    received: [...flow.arrivals.values()].reduce((n, a) => n + a.length, 0),
    requests: d.requests.length,
    requestedSeqs: d.requests.reduce((n, r) => n + r.seqs.length, 0),
  };
}

function timelineEvents(
  d: ObservedDownload,
  tx: Transmission[],
  at: { pauseUs: number | null; h: number; silent: { tsUs: number; frame: number } | null; clientSide: boolean },
  rel: (us: number) => number,
  frameOf: FrameOf,
): TimelineEvent[] {
  const sighting = (s: Seen | null) => (s ? { t: rel(s.tsUs), frame: s.frame } : null);
  const events: [number, TimelineEvent][] = [
    [d.startUs, { t: 0, kind: 'download', file: d.file, frame: frameOf(d.startUs, `download|${d.file}`) }],
    [d.nAtUs, { t: rel(d.nAtUs), kind: 'count', n: d.n, frame: frameOf(d.nAtUs, `|${d.n}`) }],
    ...tx.map((x): [number, TimelineEvent] => [
      x.tsUs,
      {
        t: rel(x.tsUs),
        kind: x.attempt ? 'resend' : 'send',
        seq: x.seq,
        attempt: x.attempt,
        dropped: x.dropped,
        frame: x.frame,
        arrived: sighting(x.arrived),
        ...(at.clientSide ? { atClient: sighting(x.atClient) } : {}),
      },
    ]),
    ...d.requests.map((r): [number, TimelineEvent] => [
      r.tsUs,
      { t: rel(r.tsUs), kind: 'request', seqs: r.seqs, frame: frameOf(r.tsUs, r.line) },
    ]),
  ];
  if (d.udpAtUs !== null && d.udpPort !== null)
    events.push([
      d.udpAtUs,
      { t: rel(d.udpAtUs), kind: 'udp-port', port: d.udpPort, frame: frameOf(d.udpAtUs, `udp|${d.udpPort}`) },
    ]);
  if (at.pauseUs !== null) events.push([at.pauseUs, { t: rel(at.pauseUs), kind: 'pause-reached', h: at.h }]);
  for (const [us, kind] of [
    [d.proceedUs, 'proceed'],
    [d.stopUs, 'stop'],
  ] as const)
    if (us !== null) events.push([us, { t: rel(us), kind, frame: frameOf(us, kind) }]);
  if (d.end)
    events.push([
      d.end.tsUs,
      {
        t: rel(d.end.tsUs),
        kind: 'end',
        outcome: d.end.outcome,
        line: d.end.line,
        frame: frameOf(d.end.tsUs, d.end.line),
      },
    ]);
  if (at.silent)
    events.push([at.silent.tsUs, { t: rel(at.silent.tsUs), kind: 'server-silent', frame: at.silent.frame }]);
  // A stable sort keeps `download` ahead of anything stamped in the same microsecond.
  events.sort((a, b) => a[0] - b[0]);
  return events.map(([, e]) => e);
}

/** For a download that never ended: the last packet the server sent it (control or datagram) before the capture ends. */
function lastServerPacket(
  sent: DecodedCapture,
  serverIp: string,
  d: ObservedDownload,
  untilUs: number,
): { tsUs: number; frame: number } | null {
  let last: { tsUs: number; frame: number } | null = null;
  for (const p of sent.packets) {
    if (p.src.ip !== serverIp || p.dst.ip !== d.client.ip || p.tsUs < d.startUs || p.tsUs >= untilUs) continue;
    if (!last || p.tsUs >= last.tsUs) last = { tsUs: p.tsUs, frame: p.frame };
  }
  return last;
}

function largestBlock(tx: Transmission[]): number | null {
  let largest: number | null = null;
  for (const x of tx) if (x.arrived) largest = Math.max(largest ?? 0, x.arrived.dataLength);
  return largest;
}

function fileBytes(tx: Transmission[]): number | null {
  const bySeq = new Map<number, number>();
  for (const x of tx) if (x.arrived) bySeq.set(x.seq, x.arrived.dataLength);
  return bySeq.size ? [...bySeq.values()].reduce((a, b) => a + b, 0) : null;
}

/**
 * H from the pause percentage when the caller knows it; otherwise the highest
 * seq first sent before `proceed` (or `stop`) + 1, which cannot expose a server
 * that sends past the pause: scenarios that check the pause should pass it.
 */
function boundary(
  pausePercent: number | undefined,
  d: ObservedDownload,
  tx: Transmission[],
): { h: number; hSource: DownloadTimeline['hSource'] } {
  if (pausePercent !== undefined) return { h: pauseBoundary(d.n, pausePercent), hSource: 'pause-percent' };
  const cut = d.proceedUs ?? (d.end?.outcome === 'stopped' ? d.end.tsUs : null);
  if (cut === null) return { h: d.n, hSource: 'observed' };
  const before = tx.filter((x) => x.attempt === 0 && x.tsUs < cut).map((x) => x.seq);
  return { h: Math.min(d.n, before.length ? Math.max(...before) + 1 : 0), hSource: 'observed' };
}

/** When the client first held every seq below h, from the received side; null if it never did. */
function timeAllHeld(h: number, arrivals: Map<number, Seen[]>): number | null {
  let latest = -Infinity;
  for (let seq = 0; seq < h; seq++) {
    const first = arrivals.get(seq)?.[0];
    if (first === undefined) return null;
    latest = Math.max(latest, first.tsUs);
  }
  return h > 0 ? latest : null;
}

function summarise(d: ObservedDownload, tx: Transmission[], arrivals: Map<number, Seen[]>): SeqSummary[] {
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
