import dgram from 'node:dgram';
import net from 'node:net';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { AdaptiveRecovery } from './adaptive-recovery.ts';
import { DatagramGate, type GateCounts } from './datagram-gate.ts';
import type { Recovery, RecoveryHost, RecoveryOptions } from './recovery.ts';
import { resendLines } from './resend-lines.ts';
import { SeedRecovery } from './seed-recovery.ts';
import { DuplicateCheck } from './duplicate-check.ts';
import { RunningDigest } from './running-digest.ts';
import { SeqBitmap } from './seq-bitmap.ts';
import type { TempFile } from './temp-file.ts';

export interface ReceiverOptions {
  /** N: how many datagrams the file takes. */
  count: number;
  /** Bytes of the file per datagram: the seed's CHUNK_SIZE unless the server agreed to another (`blksize|…`). */
  blockSize?: number;
  /** The TCP socket's own address: the UDP socket is bound there too. */
  localAddress: string;
  /**
   * Only datagrams from this IP (the TCP peer) are taken, and from the one port the first of them
   * came from: a download's datagrams all leave one socket of the server.
   */
  serverAddress: string;
  file: TempFile;
  /** Sends one already formatted line over TCP. */
  sendLine: (line: string) => void;
  recovery?: RecoveryOptions;
  /** A resend request went out; `timeoutMs` is the seed mode's new timeout. */
  onResend?: (count: number, timeoutMs?: number) => void;
  onProgress?: (held: number) => void;
  /**
   * Called once, when one of the last NEAR_END datagrams first arrives and nearly all the
   * others are held: the server sends in order, so it has then sent (nearly) every datagram
   * once and knows the file's digest.
   */
  onNearEnd?: () => void;
  /** Hash the bytes as they arrive, for a checksum at the end that costs no second pass over the file. */
  runningDigest?: boolean;
  initialTimeoutMs?: number;
  timeoutStepMs?: number;
}

export interface ReceiverStats extends GateCounts {
  duplicate: number;
  resendRounds: number;
  resendRequested: number;
}

// As much kernel buffering as the OS grants (Linux clamps this to rmem_max silently).
const WANTED_RECV_BUFFER = 64 * 1024 * 1024;
/**
 * How near the end a datagram must be to call onNearEnd: a few, since the last one may be lost.
 * The client must also hold all but a tenth of the file: a forged copy of a last seq, sent
 * the moment the download starts, would otherwise make the server hash the rest of the file
 * there and then, and hold up its answers to the resend requests behind it.
 */
const NEAR_END = 16;

/**
 * The UDP side of one download. Takes datagrams of the current part (first 0..H-1, then
 * H..N-1), writes each at its offset, and leaves finding and asking for the missing ones
 * to its recovery: the seed's timeout rounds, or the adaptive default.
 */
export class DownloadReceiver {
  private readonly gate: DatagramGate;
  private readonly counts = { duplicate: 0, resendRounds: 0, resendRequested: 0 };
  private readonly held: SeqBitmap;
  private readonly recovery: Recovery;
  private part = { from: 0, to: 0, held: 0 };
  private partWaiter: (() => void) | null = null;
  private last: number | null = null;
  private nearEnd = false;
  private bytes = 0;
  private lastLength = 0;
  private readonly duplicates: DuplicateCheck;
  private readonly running: RunningDigest | null;
  private readonly block: number;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly options: ReceiverOptions,
  ) {
    this.block = options.blockSize ?? CHUNK_SIZE;
    this.held = new SeqBitmap(options.count);
    this.gate = new DatagramGate(options.count, options.serverAddress, this.block);
    const readHeld = (offset: number, length: number, into?: Buffer) => options.file.read(offset, length, into);
    this.duplicates = new DuplicateCheck(readHeld, this.block);
    this.running = options.runningDigest
      ? new RunningDigest(
          options.count,
          this.block,
          (seq) => this.lengthOf(seq),
          (seq) => this.held.has(seq),
          readHeld,
        )
      : null;
    const host: RecoveryHost = {
      missing: (from, to) => this.held.missing(from, to),
      held: (seq) => this.held.has(seq),
      requestResend: (seqs, timeoutMs) => this.requestResend(seqs, timeoutMs),
      sendLine: options.sendLine,
    };
    this.recovery =
      options.recovery?.mode === 'seed'
        ? new SeedRecovery(host, { initialTimeoutMs: options.initialTimeoutMs, timeoutStepMs: options.timeoutStepMs })
        : new AdaptiveRecovery(host, {
            minReorderMs: options.recovery?.reorderWindowMs,
            lossTimers: options.recovery?.lossTimers,
          });
    socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo.address, rinfo.port));
    socket.on('error', () => undefined);
  }

  static async open(options: ReceiverOptions): Promise<DownloadReceiver> {
    // isIP tries the short IPv4 pattern first: isIPv6 compiles a pattern of its own on first
    // use, ~13 ms of CPU that four clients starting a download at once all spend at that moment.
    const type = net.isIP(options.localAddress) === 6 ? 'udp6' : 'udp4';
    const socket = dgram.createSocket({ type });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: options.localAddress, port: 0 }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    try {
      socket.setRecvBufferSize(WANTED_RECV_BUFFER);
    } catch {
      // Keep the default buffer: resend requests make up for what it drops.
    }
    return new DownloadReceiver(socket, options);
  }

  get port(): number {
    return this.socket.address().port;
  }
  get heldCount(): number {
    return this.held.count;
  }
  /** The file's last byte as received, null until the last datagram arrived (or for N = 0). */
  get lastByte(): number | null {
    return this.last;
  }
  /** Bytes of file received, counting each seq once. */
  get receivedBytes(): number {
    return this.bytes;
  }
  get stats(): ReceiverStats {
    return { ...this.gate.counts, ...this.counts };
  }
  get ignored(): number {
    return this.gate.turnedAway + this.counts.duplicate;
  }

  /** The server answered a progress report with `error|…`: it does not know them. */
  serverIgnoresReports(): void {
    if (this.recovery instanceof AdaptiveRecovery) this.recovery.stopReporting();
  }

  /** Waits until every seq of [from, to) is held, asking for resends while some are missing. */
  receivePart(from: number, to: number): Promise<void> {
    const held = to - from - this.held.missing(from, to).length;
    this.part = { from, to, held };
    this.gate.openUpTo(to);
    return new Promise((resolve) => {
      if (held === to - from) return resolve();
      this.partWaiter = resolve;
      this.recovery.startPart(from, to);
    });
  }

  /** SHA-256 (hex) of every byte held, hashed as they came; null when it cannot tell (or was not asked for). */
  digest(): Promise<string | null> {
    return this.running?.digest() ?? Promise.resolve(null);
  }

  /** Seqs that arrived twice with different bytes: one of the two copies was not the server's. */
  conflicting(): Promise<number[]> {
    return this.duplicates.conflicting();
  }

  /**
   * Takes these seqs again: forgets what it holds of them, asks the server for them at once, and
   * resolves when each has arrived anew (its recovery asks again while some are missing).
   */
  fetchAgain(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return Promise.resolve();
    for (const seq of seqs) {
      if (this.held.remove(seq)) this.bytes -= this.lengthOf(seq);
      this.duplicates.forget(seq);
      this.running?.onForgotten(seq);
    }
    this.requestResend([...seqs]);
    // A loop, not Math.min(...seqs): a whole file's seqs would overflow the stack as arguments.
    const from = seqs.reduce((a, b) => Math.min(a, b));
    const to = seqs.reduce((a, b) => Math.max(a, b)) + 1;
    return this.receivePart(from, to);
  }

  private lengthOf(seq: number): number {
    return seq < this.options.count - 1 ? this.block : this.lastLength;
  }

  /** Closes the socket; the temp file is the caller's. */
  close(): void {
    this.recovery.close();
    this.partWaiter = null;
    try {
      this.socket.close();
    } catch {
      // Already closed.
    }
  }

  private requestResend(seqs: number[], timeoutMs?: number): void {
    for (const line of resendLines(seqs)) this.options.sendLine(line);
    this.counts.resendRounds++;
    this.counts.resendRequested += seqs.length;
    this.options.onResend?.(seqs.length, timeoutMs);
  }

  private onDatagram(msg: Buffer, from: string, port: number): void {
    const datagram = this.gate.admit(msg, from, port);
    if (!datagram) return;
    const { seq, data } = datagram;
    const n = this.options.count;
    const isNew = this.held.add(seq);
    this.recovery.onDatagram(seq, isNew);
    if (!isNew) {
      this.duplicates.compare(seq, data);
      return void this.counts.duplicate++;
    }
    this.options.file.write(data, seq * this.block);
    this.bytes += data.length;
    if (seq === n - 1) {
      this.last = data[data.length - 1];
      this.lastLength = data.length;
    }
    if (
      seq >= n - NEAR_END &&
      this.gate.openedTo >= n &&
      !this.nearEnd &&
      this.held.count >= n - Math.max(NEAR_END, n / 10)
    ) {
      this.nearEnd = true;
      this.options.onNearEnd?.();
    }
    this.running?.onStored(seq, data);
    this.options.onProgress?.(this.held.count);
    if (seq >= this.part.from && seq < this.part.to && ++this.part.held === this.part.to - this.part.from) {
      this.recovery.partDone();
      const done = this.partWaiter;
      this.partWaiter = null;
      done?.();
    }
  }
}
