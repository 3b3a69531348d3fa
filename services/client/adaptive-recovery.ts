import { formatClientCommand } from '../protocol/client-commands.ts';
import { LossDetector, type LossDetectorOptions } from './loss-detector.ts';
import type { Recovery, RecoveryHost } from './recovery.ts';

/** How often the detector is asked what is due: well under its reorder window. */
const POLL_MS = 4;
/** Progress reports go at most this often, carried by arrivals: none while nothing arrives. */
export const ACK_INTERVAL_MS = 5;
/** libuv reads at most this many datagrams from a socket per turn of the event loop. */
export const READS_PER_TURN = 32;
/** Turns a judgement waits at most for the socket to be drained: a client that cannot keep up must still ask. */
const MAX_DRAIN_TURNS = 8;

/**
 * The default recovery: asks for a seq as soon as its loss is evident (LossDetector), and
 * reports progress (`ack|…`) so that the server paces the download to the path. The first
 * report, sent before any datagram, tells the server to adapt from its first datagram on.
 */
export class AdaptiveRecovery implements Recovery {
  private readonly detector: LossDetector;
  private timer: NodeJS.Timeout | null = null;
  private received = 0;
  private lastAckAt = -Infinity;
  /** The newest datagram taken (-1: none since the last report), and when: what the next report names. Two numbers, not an object per datagram. */
  private newestSeq = -1;
  private newestAt = 0;
  private reportPending = false;
  private acking = true;
  private lastPoll = performance.now();
  private skipped = false;
  private judging = false;
  /** `received` when the judgement last looked: what one turn of the event loop read. */
  private receivedAtLook = 0;
  /** When the judgement last looked: a turn that took much longer stalled, and its socket filled meanwhile. */
  private lookedAt = 0;

  constructor(
    private readonly host: RecoveryHost,
    options: LossDetectorOptions = {},
  ) {
    this.detector = new LossDetector((seq) => host.held(seq), options);
    this.report();
  }

  /** The server did not know `ack|…` (an older server): it paces at its fixed rate, and reports stop. */
  stopReporting(): void {
    this.acking = false;
  }

  startPart(from: number, to: number): void {
    this.detector.startPart(from, to, performance.now());
    this.timer ??= setInterval(() => this.poll(), POLL_MS);
  }

  onDatagram(seq: number, isNew: boolean): void {
    const now = performance.now();
    this.received++;
    if (isNew) this.detector.onArrival(seq, now);
    this.newestSeq = seq;
    this.newestAt = now;
    // After the datagrams the socket has ready now: when the event loop was busy they are read in
    // one go, and the last of them carries the least of that delay in its timestamp.
    if (!this.reportPending && now - this.lastAckAt >= ACK_INTERVAL_MS) {
      this.reportPending = true;
      setImmediate(() => this.report());
    }
  }

  partDone(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  close(): void {
    this.partDone();
    this.acking = false;
  }

  /**
   * Gaps are judged after the datagrams already waiting in the socket are read: timers run
   * before I/O in Node's event loop, so a late datagram sitting in the socket after a busy
   * moment would otherwise be asked for although it is there. After a stall longer than two
   * polls, one poll is skipped so that the backlog is read first. And a turn that read as many
   * datagrams as libuv reads at once (READS_PER_TURN) likely left more in the socket: a stall of
   * 6 ms at 100 Mbit/s leaves 36; the judgement then waits for a turn that read fewer. A stall
   * inside the turn itself (a garbage collection, a busy core), after its reads and before the
   * judgement, fills the socket unseen: the judgement then waits for the next turn's reads, or
   * it takes its own stall for a silent path.
   */
  private poll(): void {
    const now = performance.now();
    const stalled = now - this.lastPoll > 2 * POLL_MS && !this.skipped;
    this.lastPoll = now;
    this.skipped = stalled;
    if (stalled || this.judging) return;
    this.judging = true;
    this.receivedAtLook = this.received;
    this.lookedAt = now;
    setImmediate(() => this.judgeWhenDrained(0));
  }

  private judgeWhenDrained(turns: number): void {
    const now = performance.now();
    const readThisTurn = this.received - this.receivedAtLook;
    const stalled = now - this.lookedAt > 2 * POLL_MS;
    this.receivedAtLook = this.received;
    this.lookedAt = now;
    if ((readThisTurn >= READS_PER_TURN || stalled) && turns < MAX_DRAIN_TURNS) {
      setImmediate(() => this.judgeWhenDrained(turns + 1));
      return;
    }
    this.judging = false;
    const due = this.detector.due(now);
    if (due.length > 0) this.host.requestResend(due);
  }

  private report(): void {
    this.reportPending = false;
    if (!this.acking) return;
    this.lastAckAt = performance.now();
    const samples = this.newestSeq < 0 ? [] : [{ seq: this.newestSeq, usec: Math.round(this.newestAt * 1000) }];
    this.newestSeq = -1;
    this.host.sendLine(formatClientCommand({ type: 'ack', report: { received: this.received, samples } }));
  }
}
