/**
 * Decides, from arrivals alone, which datagrams are lost and when to ask for them again
 * (the client's default, `--recovery adaptive`; docs/PROTOCOL.md explains it). Pure: the
 * caller says what arrived and when, and asks what is due; no timers, no sockets.
 *
 * - A gap is a seq missing while a later one arrived. It is taken as lost only when more than
 *   REORDER_POSITIONS later seqs arrived (or the part's last one did: nothing later will come)
 *   AND the reorder window has passed since the first of them: a datagram merely overtaken by
 *   a few others, or late by a few milliseconds, is not asked for.
 * - A requested seq is asked for again when one requested after it arrived a reorder window
 *   ago (the server resends in the order asked), or when its own timeout ran out.
 * - When nothing arrives at all, everything missing of the current part is asked for after
 *   a tail timeout, which doubles while the path stays silent (a lost last datagram, a
 *   partition) so that a dead path is not flooded with requests.
 */
import { appendFileSync } from 'node:fs';
/** UDPCHAT_LOSS_TRACE=FILE: one line per request the detector makes, and why (docs/PERFORMANCE.md). */
const traceFile = process.env.UDPCHAT_LOSS_TRACE;
const trace = traceFile ? (line: string) => appendFileSync(traceFile, `${line}\n`) : undefined;

export interface LossDetectorOptions {
  reorderPositions?: number;
  /** The shortest reorder window; it grows when a request turns out to have been for a late datagram. */
  minReorderMs?: number;
  /**
   * false: no timers, only arrivals reveal a loss (a gap under later seqs, a request overtaken
   * by a later one), as in a NACK-only protocol. A lost tail, a lost resend with nothing after
   * it, or a partition that swallows the end of a part then stalls the download for good: this
   * is the defence the lab's fault scenarios switch off (`--no-loss-timers`).
   */
  lossTimers?: boolean;
}

export const REORDER_POSITIONS = 3;
export const MIN_REORDER_MS = 10;
const MAX_REORDER_MS = 50;
/** Resends served before a quick return can be told from a slow one: the first may have waited in a queue. */
const SAMPLES_BEFORE_SPURIOUS = 4;
/** Never ask for one seq again sooner than this: the server resends a seq at most once per RESEND_WINDOW_MS (10 ms). */
const MIN_RETRY_MS = 15;
const MAX_BACKOFF_MS = 1000;
/**
 * Requests back off only once nothing at all has arrived for this long (a partition, a dead
 * server). At the end of a download on a lossy link the one resend in flight is often lost,
 * which also leaves the path quiet; backing off then made the last seqs of a download at 30 %
 * loss wait seconds, while asking again costs a few bytes.
 */
export const SILENT_PATH_MS = 250;
/**
 * A tail request reaches this far past the highest seq that arrived: what lies further may not
 * have been sent yet (the server refuses those), and a longer lost tail is found round by round.
 */
const TAIL_AHEAD = 64;
/** Before the first datagram of a part, silence counts as loss only after this long: a server under load starts late. */
const FIRST_DATAGRAM_MS = 100;

interface Request {
  /** Position in the order of requests: the server resends in that order. */
  order: number;
  at: number;
  tries: number;
  /** Asked for past the highest seq that arrived: it may have been on its way, or not sent yet. */
  ahead: boolean;
  /** When a seq requested after this one arrived. */
  overtakenAt?: number;
}

export class LossDetector {
  private readonly positions: number;
  private readonly minReorderMs: number;
  private readonly lossTimers: boolean;
  private reorderMs: number;
  private part = { from: 0, to: 0 };
  private highest = -1;
  private readonly gapSeqs: number[] = [];
  private readonly gapTimes: number[] = [];
  private gapHead = 0;
  private readonly requests = new Map<number, Request>();
  private nextOrder = 0;
  private resendRttMs: number | undefined;
  private minResendRttMs = Infinity;
  private resendSamples = 0;
  private lastArrival = 0;
  private meanGapMs = 0;
  private silentRounds = 0;
  private lastTailAt = -Infinity;

  constructor(
    private readonly held: (seq: number) => boolean,
    options: LossDetectorOptions = {},
  ) {
    this.positions = options.reorderPositions ?? REORDER_POSITIONS;
    this.minReorderMs = options.minReorderMs ?? MIN_REORDER_MS;
    this.reorderMs = this.minReorderMs;
    this.lossTimers = options.lossTimers ?? true;
  }

  get reorderWindowMs(): number {
    return this.reorderMs;
  }

  /** The part [from, to) is what the client now waits for (the first part, or the rest after `proceed`). */
  startPart(from: number, to: number, now: number): void {
    this.part = { from, to };
    this.lastArrival = now;
    this.silentRounds = 0;
    this.lastTailAt = -Infinity;
  }

  /** A datagram the client did not hold yet arrived. */
  onArrival(seq: number, now: number): void {
    if (this.lastArrival > 0) this.meanGapMs += (now - this.lastArrival - this.meanGapMs) / 16;
    this.lastArrival = now;
    this.silentRounds = 0;
    const request = this.requests.get(seq);
    if (request) {
      this.requests.delete(seq);
      this.onRequestServed(request, now);
    }
    if (seq > this.highest) {
      for (let gap = this.highest + 1; gap < seq; gap++) {
        this.gapSeqs.push(gap);
        this.gapTimes.push(now);
      }
      this.highest = seq;
    }
  }

  /** The seqs to ask for now, in order; each is then counted as requested. */
  due(now: number): number[] {
    const out: number[] = [];
    this.takeLostGaps(now, out);
    this.takeRetries(now, out);
    this.takeTail(now, out);
    for (const seq of out) this.request(seq, now);
    if (out.length > 0)
      trace?.(
        `${now.toFixed(1)} ask ${out.length} [${out.slice(0, 12).join(',')}] highest ${this.highest} reorder ${this.reorderMs} rtt ${this.resendRttMs?.toFixed(1)} outstanding ${this.requests.size}`,
      );
    return out;
  }

  private onRequestServed(request: Request, now: number): void {
    const rtt = now - request.at;
    // Only a first request for a seq past a gap tells anything: a retry may be served by the
    // resend of an earlier request, and a seq asked for ahead may just have been on its way.
    const telling = request.tries === 1 && !request.ahead;
    // Back sooner than any resend could be: it was the late original, reordered, not lost.
    if (telling && this.resendSamples >= SAMPLES_BEFORE_SPURIOUS && rtt < this.minResendRttMs / 2) {
      this.reorderMs = Math.min(MAX_REORDER_MS, this.reorderMs * 2);
      return;
    }
    if (telling) {
      // A loss that was one: a window widened by a spurious request narrows again, step by step.
      this.reorderMs = Math.max(this.minReorderMs, this.reorderMs * 0.9);
      this.resendSamples++;
      this.minResendRttMs = Math.min(this.minResendRttMs, rtt);
      this.resendRttMs = this.resendRttMs === undefined ? rtt : this.resendRttMs + (rtt - this.resendRttMs) / 8;
    }
    for (const [, earlier] of this.requests) {
      if (earlier.order >= request.order) break;
      earlier.overtakenAt ??= now;
    }
  }

  private takeLostGaps(now: number, out: number[]): void {
    while (this.gapHead < this.gapSeqs.length) {
      const seq = this.gapSeqs[this.gapHead];
      if (!this.held(seq) && !this.requests.has(seq)) {
        // Among the last of a part no more seqs can come after it: once the last one came, the
        // reorder window alone decides, instead of the tail timeout, three times as long or more.
        const overtaken = this.highest - seq > this.positions || this.highest >= this.part.to - 1;
        if (!overtaken || now - this.gapTimes[this.gapHead] < this.reorderMs) break;
        out.push(seq);
      }
      this.gapHead++;
    }
    if (this.gapHead > 4096 && this.gapHead * 2 > this.gapSeqs.length) {
      this.gapSeqs.splice(0, this.gapHead);
      this.gapTimes.splice(0, this.gapHead);
      this.gapHead = 0;
    }
  }

  private takeRetries(now: number, out: number[]): void {
    const timeout = this.retryTimeoutMs();
    for (const [seq, request] of this.requests) {
      if (this.held(seq)) {
        this.requests.delete(seq);
        continue;
      }
      // Random loss takes resends as often as first copies: while datagrams keep arriving the
      // path is alive and a lost resend is asked for again as soon; only a silent path backs off.
      const silent = this.lastArrival <= request.at && now - this.lastArrival >= SILENT_PATH_MS;
      const wait = silent ? Math.min(MAX_BACKOFF_MS, timeout * 2 ** (request.tries - 1)) : timeout;
      const overtaken = request.overtakenAt !== undefined && now - request.overtakenAt >= this.reorderMs;
      const timedOut = this.lossTimers && now - request.at >= wait;
      if ((overtaken && now - request.at >= MIN_RETRY_MS) || timedOut) out.push(seq);
    }
  }

  private takeTail(now: number, out: number[]): void {
    if (!this.lossTimers) return;
    const quiet = now - Math.max(this.lastArrival, this.lastTailAt);
    if (quiet < this.tailTimeoutMs(now)) return;
    const asked = new Set(out);
    let any = false;
    const end = Math.min(this.part.to, Math.max(this.highest, this.part.from - 1) + 1 + TAIL_AHEAD);
    for (let seq = this.part.from; seq < end; seq++) {
      if (this.held(seq) || asked.has(seq) || this.requests.has(seq)) continue;
      out.push(seq);
      any = true;
    }
    if (!any && this.requests.size === 0) return;
    this.lastTailAt = now;
    this.silentRounds++;
  }

  private request(seq: number, now: number): void {
    const earlier = this.requests.get(seq);
    this.requests.delete(seq);
    this.requests.set(seq, {
      order: this.nextOrder++,
      at: now,
      tries: (earlier?.tries ?? 0) + 1,
      ahead: earlier?.ahead ?? seq > this.highest,
    });
  }

  private retryTimeoutMs(): number {
    // Past the last first transmission only resends are left to wait for: ask again as soon as a
    // resend is overdue, since every round now adds to the download's time.
    const slack = this.highest >= this.part.to - 1 ? 0 : this.reorderMs;
    return Math.max(MIN_RETRY_MS, 2 * (this.resendRttMs ?? MIN_RETRY_MS) + slack);
  }

  /** Silence this long means the last datagrams (or everything) are lost; it doubles once the path is silent. */
  private tailTimeoutMs(now: number): number {
    const base = Math.max(
      // Nothing of the part arrived yet: the server may just be slow to start (the seed's 100 ms).
      this.highest < this.part.from ? FIRST_DATAGRAM_MS : 2 * MIN_RETRY_MS,
      8 * this.meanGapMs,
      2 * (this.resendRttMs ?? 0) + this.reorderMs,
    );
    if (now - this.lastArrival < SILENT_PATH_MS) return base;
    return Math.min(MAX_BACKOFF_MS, base * 2 ** this.silentRounds);
  }
}
