import { ethernetFrameBytes } from '../protocol/block-size.ts';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { DeliveryRate } from './delivery-rate.ts';
import { WindowedMax, WindowedMin } from './windowed-best.ts';

/**
 * The sender's rate, found from the client's `ack|…` reports (see docs/PROTOCOL.md).
 *
 * Two measurements come out of each report. The queueing delay: each report says when a
 * datagram arrived on the client's clock; against when it left, that is the one-way delay
 * plus an unknown clock offset, and what lies above the smallest value seen is time spent in
 * a queue. And the delivery rate: how fast this download's datagrams come out of the path,
 * lost ones included (loss after the bottleneck still used the bottleneck).
 *
 * The rate steers the queue towards a small target: below it the rate grows (by up to 10 %
 * per 10 ms when the queue is empty), above it the rate shrinks (by up to 20 % per 10 ms at
 * twice the target). It is kept within 0.7–1.25 times the delivery rate, so that it can
 * neither run far ahead of what the path takes nor collapse after one bad reading.
 *
 * Loss is not a signal: on a student's Wi-Fi or a lossy link most losses say nothing about
 * congestion, and a sender that slows down for each (as TCP does) falls to a few Mbit/s at
 * 10–30 % loss. Keeping the queue short keeps the router from dropping for congestion.
 *
 * The target shrinks as the rate grows (∝ 1/√rate), so when two downloads share a bottleneck
 * the slower one aims at a longer queue than the faster one: both see the same queue, so the
 * slower one speeds up and the faster one slows down until they are equal. A TCP flow sharing
 * the link fills the queue well past every target: a download then yields, and never starves
 * other traffic.
 */
export interface RateControllerOptions {
  /** Bytes per second never exceeded (the server's --rate); Infinity for none. */
  ceiling: number;
  /** What one full datagram occupies on the wire, in bytes: where a download starts depends on it. */
  datagramBytes?: number;
}

/** One datagram named in a report, seen from both ends. */
export interface DeliverySample {
  /** Arrival on the client's clock minus departure on the server's, in ms: the one-way delay plus an offset. */
  delayMs: number;
  /** The client's clock at arrival, in ms. */
  clientMs: number;
  /** Datagrams the server had sent, resends included, when this one left. */
  sentBefore: number;
}

/**
 * Where a download starts, in datagrams per second: 20 Mbit/s with the seed's block, a fair
 * start on a home link. Counted in datagrams, as TCP counts its initial window in segments, so a
 * link whose frames carry 9,000 bytes starts at 86 Mbit/s, two doublings nearer 1 Gbit/s (about
 * 25 ms of startup saved, a twentieth of a 50 MiB download there).
 */
export const INITIAL_DATAGRAMS_PER_SECOND = 1200;
/** A full datagram of the seed's block on an Ethernet link: 2,090 bytes. */
export const SEED_DATAGRAM_BYTES = ethernetFrameBytes(CHUNK_SIZE);
/** About 30 datagrams per second: a path that is silent or barely there still gets probed. */
export const FLOOR_RATE = 64_000;
/** How much faster than the delivery rate startup sends: the queue tells when it has gone too far. */
const STARTUP_GAIN = 2;
/** Startup ends when a queue of this many ms (or half the target) shows: less could be a late timestamp. */
const STARTUP_EXIT_MS = 2;
/** Rates change in proportion to the time between reports, counted in steps of this length. */
const STEP_MS = 10;
/** With an empty queue the rate aims this much above what the path delivers… */
const GAIN_UP = 0.15;
/** …and with a queue at twice the target this much below. */
const GAIN_DOWN = 0.25;
/** The share of the way to that aim the rate moves per step: one delivery measurement is noisy. */
const SMOOTHING = 0.5;
/** A longer gap between reports is not taken as more time to react to: the signal is stale. */
const MAX_STEP_GAP_MS = 30;
/** How long a delivery rate counts as what the path can deliver: a few reports. */
const BANDWIDTH_WINDOW_MS = 40;
/** Queueing delay is judged on the smallest delay of this recent window, so one late timestamp is not a queue. */
const RECENT_MS = 6;
/** The path's own delay is the smallest of this long window (a route may change: it does not live forever). */
const BASE_WINDOW_MS = 10_000;
/** Once a second the rate halves for DRAIN_MS (or twice the queue): about 1 % of the time. */
const DRAIN_EVERY_MS = 1000;
const DRAIN_MS = 20;
const DRAIN_GAIN = 0.5;
/**
 * A queue this far under its target (as a share of it) for REPROBE_MS means the path takes more
 * than the download sends: a startup that ended on a late timestamp, or a flow that left the
 * link. Steady growth would take a second to climb from 50 Mbit/s to 1 Gbit/s; startup again
 * takes a few reports.
 */
const REPROBE_BELOW = 0.25;
const REPROBE_MS = 80;
/** Reports stop while datagrams keep leaving: the path has gone quiet, and the rate halves each such period. */
export const SILENCE_MS = 100;

export type RatePhase = 'startup' | 'steady' | 'drain';

export class RateController {
  private current: number;
  private phaseNow: RatePhase = 'startup';
  private readonly base = new WindowedMin(BASE_WINDOW_MS, 5);
  private readonly recent = new WindowedMin(RECENT_MS, 2);
  private readonly delivery = new DeliveryRate();
  /**
   * The best delivery rate of the last BANDWIDTH_WINDOW_MS: a client whose event loop was busy
   * for a moment reads a backlog late, which shows as a dip in delivery (and a jump in delay);
   * the rate then stays near what the path delivered lately, not what it seemed to in the dip.
   */
  private readonly bandwidth = new WindowedMax(BANDWIDTH_WINDOW_MS, 4);
  private lastUpdate: number | null = null;
  /** When the next drain starts (steady) or ends (drain). */
  private drainAt = Infinity;
  /** Since when the queue has stayed far under its target, in steady state. */
  private idleSince: number | null = null;
  /** Since when the sender has been sending without hearing a report. */
  private quietSince: number | null = null;

  constructor(private readonly options: RateControllerOptions) {
    this.current = this.clamp(INITIAL_DATAGRAMS_PER_SECOND * (options.datagramBytes ?? SEED_DATAGRAM_BYTES));
  }

  /** Bytes per second the sender may send now. */
  get rate(): number {
    return this.current;
  }

  get phase(): RatePhase {
    return this.phaseNow;
  }

  /** Bytes per second the path delivered lately, if known. */
  get deliveryRate(): number | undefined {
    return this.delivered;
  }
  private delivered: number | undefined;

  /** The queueing delay the last reports showed, in milliseconds. */
  get queueDelayMs(): number {
    const recent = this.recent.min;
    return recent === undefined ? 0 : Math.max(0, recent - this.base.min!);
  }

  /** The queue the controller aims at for its current rate, in milliseconds. */
  get targetDelayMs(): number {
    return targetDelayMs(this.current);
  }

  /** A report arrived, naming datagrams that left only once (a resent seq cannot say which copy arrived). */
  onReport(now: number, samples: readonly DeliverySample[], wireBytes: number): void {
    this.quietSince = null;
    for (const sample of samples) {
      this.base.add(now, sample.delayMs);
      this.recent.add(now, sample.delayMs);
      this.delivery.add(sample.clientMs, sample.clientMs - sample.delayMs, sample.sentBefore);
    }
    const delivered = this.delivery.rate;
    if (samples.length === 0 || delivered === undefined) return;
    this.bandwidth.add(now, delivered * wireBytes);
    this.delivered = this.bandwidth.max!;
    const steps = this.lastUpdate === null ? 0 : Math.min(MAX_STEP_GAP_MS, now - this.lastUpdate) / STEP_MS;
    this.lastUpdate = now;
    this.current = this.clamp(this.next(now, this.delivered, steps));
  }

  /**
   * Called while datagrams are being sent: when reports stopped coming for SILENCE_MS the path
   * may be gone (a partition, a dead link) and the rate halves, once per period, down to the
   * floor; reports that come back restart the climb.
   */
  onSending(now: number): void {
    this.quietSince ??= now;
    if (now - this.quietSince < SILENCE_MS) return;
    this.quietSince = now;
    this.current = this.clamp(this.current / 2);
    this.phaseNow = 'startup';
    this.delivery.forget();
    this.bandwidth.clear();
    this.lastUpdate = null;
  }

  private next(now: number, delivered: number, steps: number): number {
    const queue = this.queueDelayMs;
    const target = targetDelayMs(this.current);
    if (this.phaseNow === 'startup') {
      if (queue <= Math.max(STARTUP_EXIT_MS, target / 2)) return Math.max(this.current, STARTUP_GAIN * delivered);
      // A queue formed: the rate overshot, by up to one doubling; what got through is where steady state starts.
      this.phaseNow = 'steady';
      this.drainAt = now + DRAIN_EVERY_MS;
      return delivered;
    }
    if (this.phaseNow === 'drain') {
      if (now < this.drainAt) return this.current;
      this.phaseNow = 'steady';
      this.drainAt = now + DRAIN_EVERY_MS;
      return delivered;
    }
    if (now >= this.drainAt) {
      // Half the rate for a moment empties the queue, so that this download and any other on
      // the link see the path's own delay again: one that came while a queue stood took that
      // queue for the path and would push past everyone.
      this.phaseNow = 'drain';
      this.idleSince = null;
      this.drainAt = now + Math.max(DRAIN_MS, 2 * queue);
      return delivered * DRAIN_GAIN;
    }
    this.idleSince = queue < REPROBE_BELOW * target ? (this.idleSince ?? now) : null;
    if (this.idleSince !== null && now - this.idleSince >= REPROBE_MS) {
      this.idleSince = null;
      this.phaseNow = 'startup';
      return Math.max(this.current, STARTUP_GAIN * delivered);
    }
    const error = Math.max(-1, Math.min(1, (target - queue) / target));
    const wanted = delivered * (1 + (error >= 0 ? GAIN_UP : GAIN_DOWN) * error);
    return this.current + (wanted - this.current) * Math.min(1, steps * SMOOTHING);
  }

  private clamp(rate: number): number {
    return Math.max(Math.min(FLOOR_RATE, this.options.ceiling), Math.min(this.options.ceiling, rate));
  }
}

/**
 * 3 ms at 100 Mbit/s, longer for slower downloads and shorter for faster ones, within
 * 1.5–8 ms: short enough for a 20 ms router queue and for chat to stay responsive,
 * long enough to stand out of the jitter of timestamps taken in an event loop.
 */
export function targetDelayMs(rateBytesPerSecond: number): number {
  const ms = 3 * Math.sqrt(12_500_000 / Math.max(1, rateBytesPerSecond));
  return Math.max(1.5, Math.min(8, ms));
}
