import dgram from 'node:dgram';
import { once } from 'node:events';
import { appendFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { ethernetFrameBytes } from '../protocol/block-size.ts';
import type { AckReport } from '../protocol/client-commands.ts';
import { CHUNK_SIZE, datagramCount, HEADER_SIZE, pauseBoundary, writeDatagramHeader } from '../protocol/datagram.ts';
import { DatagramSlots } from './datagram-slots.ts';
import { FileChangedError } from './errors.ts';
import { Pacer } from './pacer.ts';
import { RateController, type DeliverySample } from './rate-controller.ts';
import { rateLimits } from './rate-limits.ts';
import { ReadAhead } from './read-ahead.ts';
import { ResendQueue, type ResendOutcome } from './resend-queue.ts';
import { SendHistory } from './send-history.ts';
import { StreamDigest } from './stream-digest.ts';

/** At most this many datagrams are read and handed to the socket at once. */
const MAX_BATCH = 32;
/** Bytes of datagrams handed to the socket and not yet sent: bounds a download's buffers, whatever its block. */
const IN_FLIGHT_BYTES = 256 * 1024;

/**
 * UDPCHAT_RATE_TRACE=FILE: one line per progress report, what the rate controller saw and
 * decided (docs/PERFORMANCE.md, "Looking inside"). Off unless asked for.
 */
const traceFile = process.env.UDPCHAT_RATE_TRACE;
const trace = traceFile ? (line: string) => appendFileSync(traceFile, `${line}\n`) : undefined;

export interface SenderPacing {
  pausePercent: number;
  /** `--rate`: the ceiling, and the fixed rate for a client that sends no reports; 0 for none; unset for the defaults (rate-limits.ts). */
  rateMbit?: number;
  /** Send at exactly the ceiling, ignoring the client's progress reports (`--fixed-rate`, as the seed's server did). */
  fixedRate?: boolean;
  /** Bytes of the file per datagram (`blksize|…`); the seed's CHUNK_SIZE by default. */
  blockSize?: number;
}

/**
 * The UDP side of one download: sends seq 0..H-1, waits for `proceed`, sends H..N-1, and
 * resends what it is asked for, resends first. Reads each batch from the file at its offset,
 * so memory does not depend on the file's size. Paced at a fixed rate until the client's
 * first `ack|…`, then at the rate a RateController finds from the reports.
 */
export class DownloadSender {
  readonly count: number;
  readonly pauseAt: number;
  private socket?: dgram.Socket;
  private target?: { address: string; port: number };
  private nextSeq = 0;
  private sendLimit: number;
  private readonly resends = new ResendQueue();
  private readonly ceiling: number;
  private readonly fixed: number;
  private readonly fixedRate: boolean;
  private controller?: RateController;
  private readonly history = new SendHistory();
  private readonly pacer = new Pacer(() => this.controller?.rate ?? this.fixed);
  private readonly slots: DatagramSlots;
  private readonly reader: ReadAhead;
  private readonly block: number;
  /** What a full datagram occupies on the wire: the pacer's and the rate controller's unit. */
  private readonly wireBytes: number;
  // The file's hash, from the bytes of each first transmission as they are read.
  private readonly streamDigest: StreamDigest;
  private pumping?: Promise<void>;
  private closed = false;
  private failed = false;
  resent = 0;
  private transmissions = 0;

  constructor(
    private readonly file: FileHandle,
    readonly size: number,
    pacing: SenderPacing,
    private readonly onFailure: (error: Error) => void,
  ) {
    this.block = pacing.blockSize ?? CHUNK_SIZE;
    this.wireBytes = ethernetFrameBytes(this.block);
    this.count = datagramCount(size, this.block);
    this.pauseAt = pauseBoundary(this.count, pacing.pausePercent);
    ({ ceiling: this.ceiling, fixed: this.fixed } = rateLimits(pacing.rateMbit));
    this.fixedRate = pacing.fixedRate ?? false;
    this.sendLimit = this.pauseAt;
    this.reader = new ReadAhead(file, size, this.block);
    this.slots = new DatagramSlots(
      Math.max(16, Math.floor(IN_FLIGHT_BYTES / (HEADER_SIZE + this.block))),
      HEADER_SIZE + this.block,
    );
    this.streamDigest = new StreamDigest(size);
  }

  get started(): boolean {
    return this.target !== undefined;
  }

  /** Every datagram of the file has been sent at least once. */
  get allSent(): boolean {
    return this.nextSeq >= this.count;
  }

  get waitingAtPause(): boolean {
    return this.sendLimit < this.count;
  }

  /** Bytes per second the download is paced to now (Infinity: unpaced). */
  get rate(): number {
    return this.controller?.rate ?? this.fixed;
  }

  /** True once the client's reports drive the rate. */
  get adaptive(): boolean {
    return this.controller !== undefined;
  }

  async start(localAddress: string, address: string, port: number): Promise<void> {
    const socket = dgram.createSocket('udp4');
    socket.on('error', (error) => this.sendFailed(error));
    socket.bind(0, localAddress);
    await once(socket, 'listening');
    // Connected: each send skips the address lookup, and only the client's port can answer.
    socket.connect(port, address);
    await once(socket, 'connect');
    // The client may have gone while the socket was being set up; close() has then already run.
    if (this.closed) return void socket.close();
    this.socket = socket;
    this.target = { address, port };
    this.kick();
  }

  proceed(): void {
    this.sendLimit = this.count;
    this.kick();
  }

  /** A progress report from the client: from the first one on, it sets the rate. */
  ack(report: AckReport): void {
    if (this.fixedRate) return;
    const now = performance.now();
    this.controller ??= new RateController({ ceiling: this.ceiling, datagramBytes: this.wireBytes });
    const samples: DeliverySample[] = [];
    for (const { seq, usec } of report.samples) {
      const sent = this.history.lookup(seq);
      if (sent) samples.push({ delayMs: usec / 1000 - sent.at, clientMs: usec / 1000, sentBefore: sent.sentBefore });
    }
    this.controller.onReport(now, samples, this.wireBytes);
    trace?.(
      `${now.toFixed(2)} ${(this.controller.rate / 125_000).toFixed(2)} ${this.controller.queueDelayMs.toFixed(2)} ${this.controller.targetDelayMs.toFixed(2)} ${this.controller.phase} ${((this.controller.deliveryRate ?? 0) / 125_000).toFixed(1)} ${report.received} ${this.nextSeq} ${this.resent}`,
    );
  }

  resend(seqs: readonly number[]): ResendOutcome {
    const outcome = this.resends.accept(seqs, this.nextSeq, performance.now());
    this.resent += outcome.accepted.length;
    this.kick();
    return outcome;
  }

  /**
   * The SHA-256 of the whole file: already known once every datagram went out in order; otherwise
   * the rest is read from the file now (once; memory stays flat either way).
   */
  digest(): Promise<string> {
    return this.streamDigest.digest(async (offset, length) => {
      const { bytesRead, buffer } = await this.file.read(Buffer.allocUnsafe(length), 0, length, offset);
      if (bytesRead !== length) throw new FileChangedError();
      return buffer;
    });
  }

  /** Bytes from the start of the file hashed as they were sent (the rest, if any, is read when the digest is asked for). */
  get hashedAsSent(): number {
    return this.streamDigest.streamedBytes;
  }

  async lastByte(): Promise<number | null> {
    if (this.size === 0) return null;
    const { bytesRead, buffer } = await this.file.read(Buffer.alloc(1), 0, 1, this.size - 1);
    if (bytesRead !== 1) throw new FileChangedError();
    return buffer[0];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pumping?.catch(() => {});
    this.socket?.close();
    await this.file.close().catch(() => {});
  }

  private kick(): void {
    if (this.pumping || !this.target || this.closed || this.failed) return;
    this.pumping = this.pump()
      .catch((error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.pumping = undefined;
        if (this.hasWork()) this.kick();
      });
  }

  // One failure ends the download: retrying a broken file would only fail again, forever.
  private fail(error: Error): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    this.onFailure(error);
  }

  /**
   * An ICMP "port unreachable" reaches a connected socket as ECONNREFUSED. It is not a reason to
   * end the download: the client may have what it wanted already, and anyone can forge one.
   */
  private sendFailed(error: Error): void {
    if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') this.fail(error);
  }

  private hasWork(): boolean {
    if (this.closed || this.failed) return false;
    return this.resends.length > 0 || this.nextSeq < this.sendLimit;
  }

  private async pump(): Promise<void> {
    while (this.hasWork()) {
      const wanted = this.resends.length + (this.sendLimit - this.nextSeq);
      const allowed = await this.pacer.allow(Math.min(MAX_BATCH, wanted), this.wireBytes);
      const slots = await this.slots.take(allowed);
      if (!this.hasWork()) return slots.forEach((slot) => this.slots.give(slot));
      this.controller?.onSending(performance.now());
      // Resends go first: the client is waiting on them, while fresh data can follow.
      const resends = this.resends.take(slots.length);
      const fresh = Math.min(slots.length - resends.length, this.sendLimit - this.nextSeq);
      const from = this.nextSeq;
      this.nextSeq += fresh;
      const freshSlots = slots.slice(resends.length, resends.length + fresh);
      for (const spare of slots.slice(resends.length + fresh)) this.slots.give(spare);
      await Promise.all([
        ...resends.map((seq, i) => this.resendOne(slots[i], seq)),
        fresh > 0 ? this.sendFresh(freshSlots, from) : undefined,
      ]);
    }
  }

  private async sendFresh(slots: Buffer[], from: number): Promise<void> {
    const lengths = await this.reader.fill(slots, from, this.sendLimit);
    slots.forEach((slot, i) => {
      this.streamDigest.add((from + i) * this.block, slot.subarray(HEADER_SIZE, HEADER_SIZE + lengths[i]));
      this.send(slot, from + i, lengths[i], false);
    });
  }

  private async resendOne(slot: Buffer, seq: number): Promise<void> {
    this.send(slot, seq, await this.reader.readOne(slot, seq), true);
  }

  /** Sends the datagram whose data already sits in `slot` after the header; the slot is free again once sent. */
  private send(slot: Buffer, seq: number, length: number, resend: boolean): void {
    if (this.closed) return this.slots.give(slot);
    writeDatagramHeader(slot, seq);
    if (resend) this.history.resent(seq);
    else this.history.sentFirst(seq, performance.now(), this.transmissions);
    this.transmissions++;
    this.socket!.send(slot, 0, HEADER_SIZE + length, (error) => {
      this.slots.give(slot);
      if (error) this.sendFailed(error);
    });
  }
}
