import dgram from 'node:dgram';
import { once } from 'node:events';
import type { FileHandle } from 'node:fs/promises';
import {
  CHUNK_SIZE,
  datagramCount,
  HEADER_SIZE,
  MAX_DATAGRAM_SIZE,
  pauseBoundary,
  SEQ_BYTES,
} from '../protocol/datagram.ts';
import { FileChangedError } from './errors.ts';

/** How many datagrams one file read covers; also how many sends are in flight at once. */
const BATCH = 32;
/** A seq resent less than this long ago is not resent again: repeated requests cannot amplify traffic. */
export const RESEND_WINDOW_MS = 50;
/** Measured on loopback (2 cores): faster than this, the client's socket buffer overflows and most datagrams need a resend. */
export const DEFAULT_RATE_MBIT = 400;

export interface ResendOutcome {
  accepted: number[];
  /** Seqs never sent yet or out of range: a resend cannot make the server send ahead. */
  refused: number;
  /** Seqs resent within the last RESEND_WINDOW_MS. */
  suppressed: number;
}

/**
 * The UDP side of one download: sends seq 0..H-1, waits for `proceed`, sends H..N-1,
 * and resends what it is asked for. Reads each batch from the file at its offset, so
 * memory does not depend on the file's size.
 */
export class DownloadSender {
  readonly count: number;
  readonly pauseAt: number;
  private socket?: dgram.Socket;
  private target?: { address: string; port: number };
  private nextSeq = 0;
  private sendLimit: number;
  private readonly resendQueue: number[] = [];
  // The seqs in resendQueue: a seq waiting to be resent is not queued again, so the queue never outgrows N.
  private readonly queued = new Set<number>();
  private readonly lastResent = new Map<number, number>();
  private pumping?: Promise<void>;
  private closed = false;
  private failed = false;
  private nextSendAt = 0;
  private readonly rateMbit: number;
  resent = 0;

  constructor(
    private readonly file: FileHandle,
    readonly size: number,
    pacing: { pausePercent: number; rateMbit: number },
    private readonly onFailure: (error: Error) => void,
  ) {
    this.count = datagramCount(size);
    this.pauseAt = pauseBoundary(this.count, pacing.pausePercent);
    this.rateMbit = pacing.rateMbit;
    this.sendLimit = this.pauseAt;
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

  async start(localAddress: string, address: string, port: number): Promise<void> {
    const socket = dgram.createSocket('udp4');
    socket.on('error', (error) => this.onFailure(error));
    socket.bind(0, localAddress);
    await once(socket, 'listening');
    // The client may have gone while the socket was being bound; close() has then already run.
    if (this.closed) return void socket.close();
    this.socket = socket;
    this.target = { address, port };
    this.kick();
  }

  proceed(): void {
    this.sendLimit = this.count;
    this.kick();
  }

  resend(seqs: readonly number[]): ResendOutcome {
    const now = performance.now();
    const accepted: number[] = [];
    let refused = 0;
    let suppressed = 0;
    for (const seq of new Set(seqs)) {
      if (seq >= this.nextSeq) refused++;
      else if (this.queued.has(seq) || now - (this.lastResent.get(seq) ?? -Infinity) < RESEND_WINDOW_MS) suppressed++;
      else {
        this.lastResent.set(seq, now);
        this.queued.add(seq);
        accepted.push(seq);
      }
    }
    if (this.lastResent.size > 4096) this.forgetResendsBefore(now - RESEND_WINDOW_MS);
    this.resendQueue.push(...accepted);
    this.resent += accepted.length;
    this.kick();
    return { accepted, refused, suppressed };
  }

  // Keeps the map of recent resends small however many seqs a long lossy download resends.
  private forgetResendsBefore(time: number): void {
    for (const [seq, at] of this.lastResent) if (at < time) this.lastResent.delete(seq);
  }

  async lastByte(): Promise<number | null> {
    if (this.size === 0) return null;
    const { bytesRead, buffer } = await this.file.read(Buffer.alloc(1), 0, 1, this.size - 1);
    if (bytesRead !== 1) throw new FileChangedError('The file changed while it was being sent');
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
      .catch((error: Error) => {
        // One failure ends the download: retrying a broken file would only fail again, forever.
        this.failed = true;
        if (!this.closed) this.onFailure(error);
      })
      .finally(() => {
        this.pumping = undefined;
        if (!this.closed && !this.failed && (this.resendQueue.length > 0 || this.nextSeq < this.sendLimit)) this.kick();
      });
  }

  // Resends go first: the client is waiting on them, while fresh data can follow.
  private async pump(): Promise<void> {
    while (!this.closed) {
      if (this.resendQueue.length > 0) {
        const seqs = this.resendQueue.splice(0, BATCH);
        for (const seq of seqs) this.queued.delete(seq);
        await Promise.all(seqs.map((seq, i) => this.resendOne(this.slot(i), seq)));
      } else if (this.nextSeq < this.sendLimit) {
        const from = this.nextSeq;
        const to = Math.min(this.sendLimit, from + BATCH);
        await this.pace((to - from) * CHUNK_SIZE);
        const block = await this.read(from, to - from);
        await Promise.all(
          Array.from({ length: to - from }, (_, i) => {
            const slot = this.slot(i);
            const length = block.copy(slot, HEADER_SIZE, i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE);
            return this.send(slot, from + i, length);
          }),
        );
        this.nextSeq = to;
      } else return;
    }
  }

  /**
   * Spreads fresh sends to at most `rateMbit` (0: as fast as the socket takes them). The
   * protocol has no flow control: a burst larger than the receiver's socket buffer is lost
   * and has to be asked for again, which on a fast link costs more than it saves.
   */
  private async pace(bytes: number): Promise<void> {
    if (this.rateMbit <= 0) return;
    const now = performance.now();
    this.nextSendAt = Math.max(this.nextSendAt, now) + (bytes * 8) / (this.rateMbit * 1000);
    const wait = this.nextSendAt - now;
    if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  // Every buffer a download sends from is allocated once and reused: BATCH datagrams (the
  // most in flight at once) and one block for a batch's read. New buffers per datagram made
  // V8 grow its heap under the churn of many downloads.
  private block?: Buffer;
  private readonly slots: Buffer[] = [];

  private slot(i: number): Buffer {
    return (this.slots[i] ??= Buffer.allocUnsafe(MAX_DATAGRAM_SIZE));
  }

  private async read(firstSeq: number, seqs: number): Promise<Buffer> {
    const offset = firstSeq * CHUNK_SIZE;
    const length = Math.min(seqs * CHUNK_SIZE, this.size - offset);
    this.block ??= Buffer.allocUnsafe(Math.min(this.size, BATCH * CHUNK_SIZE));
    const { bytesRead } = await this.file.read(this.block, 0, length, offset);
    if (bytesRead !== length) throw new FileChangedError('The file changed while it was being sent');
    return this.block.subarray(0, length);
  }

  private async resendOne(slot: Buffer, seq: number): Promise<void> {
    const offset = seq * CHUNK_SIZE;
    const length = Math.min(CHUNK_SIZE, this.size - offset);
    const { bytesRead } = await this.file.read(slot, HEADER_SIZE, length, offset);
    if (bytesRead !== length) throw new FileChangedError('The file changed while it was being sent');
    return this.send(slot, seq, length);
  }

  /** Sends the datagram whose data already sits in `slot` after the header. */
  private send(slot: Buffer, seq: number, length: number): Promise<void> {
    const { address, port } = this.target!;
    slot.writeUInt32BE(seq, 0);
    slot[SEQ_BYTES] = SEPARATOR;
    return new Promise((resolve, reject) => {
      this.socket!.send(slot.subarray(0, HEADER_SIZE + length), port, address, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }
}

// The wire format's `:` (see protocol/datagram.ts), written in place rather than through encodeDatagram's copy.
const SEPARATOR = 0x3a;
