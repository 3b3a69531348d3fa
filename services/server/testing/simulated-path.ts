import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { RateController, SEED_DATAGRAM_BYTES, type DeliverySample } from '../rate-controller.ts';

/**
 * A bottleneck link in simulated time, for testing the rate controller against the things a
 * real path does to it, repeatably: a FIFO queue that drops what does not fit, random loss
 * after it, a client whose event loop now and then reads late. Each download is a
 * RateController fed the very reports the client program sends (one datagram named, its
 * arrival time on the client's clock); a `reno` flow stands for a TCP transfer sharing the link.
 */
export interface SimulatedPathOptions {
  rateMbit: number;
  /** The queue, in milliseconds of the link's rate. */
  queueMs: number;
  /** Random loss after the bottleneck, in percent. */
  lossPercent?: number;
  /** One-way propagation delay, ms. */
  delayMs?: number;
  /** How often per second the client's event loop stalls, and for how long at most (ms). */
  stallsPerSecond?: number;
  maxStallMs?: number;
  /** Stalls at fixed times, as a client that is still loading its code when the first datagrams come. */
  stalls?: Array<{ atMs: number; forMs: number }>;
  /** The sender's timers fire this often (ms): it sends what its pacer allows in bursts. */
  senderTickMs?: number;
  /** Reports reach the controller this much later than they leave the client (ms): TCP, the server's event loop. */
  reportLagMs?: number;
  /** What one datagram occupies on the link (default: the seed's block on Ethernet, 2,090). */
  datagramBytes?: number;
  seed?: number;
}

export type FlowKind = 'adaptive' | 'reno';

export interface FlowResult {
  kind: FlowKind;
  /** Bytes that reached the client, per 10 ms. */
  deliveredPer10ms: number[];
  sent: number;
  lost: number;
  dropped: number;
  /** The largest queueing delay the flow's datagrams met, ms. */
  maxQueueMs: number;
}

const STEP_MS = 0.05;
const REPORT_MS = 5;

interface Packet {
  flow: number;
  sentAt: number;
  sentBefore: number;
  seq: number;
}

export function simulatePath(
  options: SimulatedPathOptions,
  flows: Array<{ kind: FlowKind; startMs?: number }>,
  durationMs: number,
  ceilingMbit = 10_000,
): FlowResult[] {
  const datagramBytes = options.datagramBytes ?? SEED_DATAGRAM_BYTES;
  const rng = xoroshiro128plus(options.seed ?? 1);
  const random = () => uniformFloat64(rng);
  const bytesPerMs = (options.rateMbit * 1e6) / 8 / 1000;
  const queueLimit = Math.max(2 * datagramBytes, options.queueMs * bytesPerMs);
  const delay = options.delayMs ?? 0.05;
  const loss = (options.lossPercent ?? 0) / 100;
  const stallChancePerStep = ((options.stallsPerSecond ?? 0) * STEP_MS) / 1000;
  const senderTick = options.senderTickMs ?? 0;
  const reportLag = options.reportLagMs ?? 0;
  // As the real pacer: 4 ms at the rate, at least 8 datagrams.
  const burstBytes = (rate: number) => Math.max(8 * datagramBytes, (rate * 4) / 1000);
  const state = flows.map((f) => ({
    kind: f.kind,
    start: f.startMs ?? 0,
    controller: new RateController({ ceiling: (ceilingMbit * 1e6) / 8, datagramBytes: datagramBytes }),
    renoWindow: 10,
    inFlight: 0,
    tokens: 0,
    sent: 0,
    seq: 0,
    lost: 0,
    dropped: 0,
    maxQueueMs: 0,
    delivered: [] as number[],
    newest: null as { seq: number; clientMs: number; sentBefore: number; sentAt: number } | null,
    lastReport: -Infinity,
    reports: [] as Array<{ at: number; sample: DeliverySample }>,
  }));
  const queue: Packet[] = [];
  let queueBytes = 0;
  let linkBusyUntil = 0;
  const inTransit: Array<{ at: number; packet: Packet }> = [];
  let stalledUntil = 0;
  const waiting: Array<{ packet: Packet }> = [];

  for (let now = 0; now < durationMs; now += STEP_MS) {
    // Senders: adaptive flows pace at their controller's rate; a reno flow keeps its window full.
    state.forEach((flow, i) => {
      if (now < flow.start) return;
      if (flow.kind === 'adaptive') {
        if (senderTick > STEP_MS && Math.floor(now / senderTick) === Math.floor((now - STEP_MS) / senderTick)) {
          flow.tokens = Math.min(
            burstBytes(flow.controller.rate),
            flow.tokens + (flow.controller.rate / 1000) * STEP_MS,
          );
          return;
        }
        flow.controller.onSending(now);
        flow.tokens = Math.min(burstBytes(flow.controller.rate), flow.tokens + (flow.controller.rate / 1000) * STEP_MS);
        while (flow.tokens >= datagramBytes) {
          flow.tokens -= datagramBytes;
          enqueue({ flow: i, sentAt: now, sentBefore: flow.sent++, seq: flow.seq++ });
        }
      } else {
        while (flow.inFlight < flow.renoWindow) {
          flow.inFlight++;
          enqueue({ flow: i, sentAt: now, sentBefore: flow.sent++, seq: flow.seq++ });
        }
      }
    });
    // The link serves the queue at its rate.
    linkBusyUntil = Math.max(linkBusyUntil, now);
    while (queue.length > 0 && linkBusyUntil < now + STEP_MS) {
      const packet = queue.shift()!;
      queueBytes -= datagramBytes;
      const flow = state[packet.flow];
      flow.maxQueueMs = Math.max(flow.maxQueueMs, linkBusyUntil - packet.sentAt);
      linkBusyUntil += datagramBytes / bytesPerMs;
      if (random() < loss) {
        flow.lost++;
        if (flow.kind === 'reno') renoLoss(flow);
        continue;
      }
      inTransit.push({ at: linkBusyUntil + delay, packet });
    }
    // The client: arrivals wait while its event loop is stalled, then are read in one go.
    if (now >= stalledUntil && random() < stallChancePerStep) stalledUntil = now + random() * (options.maxStallMs ?? 0);
    for (const stall of options.stalls ?? []) {
      if (now >= stall.atMs && now - STEP_MS < stall.atMs) stalledUntil = Math.max(stalledUntil, now + stall.forMs);
    }
    while (inTransit.length > 0 && inTransit[0].at <= now) waiting.push({ packet: inTransit.shift()!.packet });
    if (now >= stalledUntil) {
      for (const { packet } of waiting.splice(0)) receive(packet, now);
      state.forEach((flow) => {
        if (flow.kind !== 'adaptive' || !flow.newest || now - flow.lastReport < REPORT_MS) return;
        flow.lastReport = now;
        const { clientMs, sentAt, sentBefore } = flow.newest;
        flow.reports.push({
          at: now + delay + reportLag,
          sample: { delayMs: clientMs - sentAt, clientMs, sentBefore },
        });
        flow.newest = null;
      });
    }
    // The server reads the reports (TCP on the uncongested way back).
    state.forEach((flow) => {
      while (flow.reports.length > 0 && flow.reports[0].at <= now) {
        flow.controller.onReport(now, [flow.reports.shift()!.sample], datagramBytes);
      }
    });
  }
  return state.map((f) => ({
    kind: f.kind,
    deliveredPer10ms: f.delivered,
    sent: f.sent,
    lost: f.lost,
    dropped: f.dropped,
    maxQueueMs: f.maxQueueMs,
  }));

  function enqueue(packet: Packet): void {
    const flow = state[packet.flow];
    if (queueBytes + datagramBytes > queueLimit) {
      flow.dropped++;
      if (flow.kind === 'reno') renoLoss(flow);
      return;
    }
    queue.push(packet);
    queueBytes += datagramBytes;
  }

  function receive(packet: Packet, now: number): void {
    const flow = state[packet.flow];
    const bin = Math.floor(now / 10);
    while (flow.delivered.length <= bin) flow.delivered.push(0);
    flow.delivered[bin] += datagramBytes;
    if (flow.kind === 'reno') {
      flow.inFlight--;
      flow.renoWindow += 1 / flow.renoWindow;
    } else {
      flow.newest = { seq: packet.seq, clientMs: now, sentBefore: packet.sentBefore, sentAt: packet.sentAt };
    }
  }

  function renoLoss(flow: (typeof state)[number]): void {
    flow.inFlight--;
    flow.renoWindow = Math.max(2, flow.renoWindow / 2);
  }
}

/** Jain's fairness index of the flows' throughputs: 1 when equal, 1/n when one takes all. */
export function jainIndex(throughputs: number[]): number {
  const sum = throughputs.reduce((a, b) => a + b, 0);
  const squares = throughputs.reduce((a, b) => a + b * b, 0);
  return (sum * sum) / (throughputs.length * squares);
}

/** Bytes per second a flow delivered between two times (ms). */
export function throughput(result: FlowResult, fromMs: number, toMs: number): number {
  const bins = result.deliveredPer10ms.slice(Math.floor(fromMs / 10), Math.floor(toMs / 10));
  return (bins.reduce((a, b) => a + b, 0) * 1000) / (toMs - fromMs);
}
