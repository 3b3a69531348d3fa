import type { Recovery, RecoveryHost } from './recovery.ts';

export interface SeedRecoveryOptions {
  initialTimeoutMs?: number;
  timeoutStepMs?: number;
}

/**
 * The seed's rule, exactly: wait for datagrams; whenever the timeout (100 ms at first)
 * passes with no datagram while a seq of the current part is missing, add 100 ms to the
 * timeout and ask for every missing seq of the part.
 */
export class SeedRecovery implements Recovery {
  private timeoutMs: number;
  private readonly stepMs: number;
  private timer: NodeJS.Timeout | null = null;
  /** When the current wait began: the last datagram taken, or the last resend request. */
  private waitingSince = 0;
  private part: { from: number; to: number } | null = null;

  constructor(
    private readonly host: RecoveryHost,
    options: SeedRecoveryOptions = {},
  ) {
    this.timeoutMs = options.initialTimeoutMs ?? 100;
    this.stepMs = options.timeoutStepMs ?? 100;
  }

  startPart(from: number, to: number): void {
    this.part = { from, to };
    this.waitingSince = performance.now();
    this.arm(this.timeoutMs);
  }

  onDatagram(_seq: number, isNew: boolean): void {
    if (isNew) this.waitingSince = performance.now();
  }

  partDone(): void {
    this.part = null;
    this.disarm();
  }

  close(): void {
    this.partDone();
  }

  // The timer is not re-armed for every datagram (this is the hot path): when it fires
  // early, it sleeps again for the rest of the timeout since the last datagram.
  private arm(delayMs: number): void {
    this.disarm();
    this.timer = setTimeout(() => this.onTimeout(), delayMs);
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private onTimeout(): void {
    this.timer = null;
    if (!this.part) return;
    const quietMs = performance.now() - this.waitingSince;
    if (quietMs < this.timeoutMs) return this.arm(this.timeoutMs - quietMs);
    const missing = this.host.missing(this.part.from, this.part.to);
    if (missing.length === 0) return;
    this.timeoutMs += this.stepMs;
    this.host.requestResend(missing, this.timeoutMs);
    this.waitingSince = performance.now();
    this.arm(this.timeoutMs);
  }
}
