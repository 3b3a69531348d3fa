/** How a download finds its losses and asks for them: `seed` (the original timeout rounds) or `adaptive` (the default). */
export type RecoveryMode = 'seed' | 'adaptive';
export const RECOVERY_MODES: readonly RecoveryMode[] = ['adaptive', 'seed'];

/** How a client recovers losses: the mode, and for the adaptive one how late a datagram may be before it counts as lost. */
export interface RecoveryOptions {
  mode: RecoveryMode;
  /** The shortest reorder window, ms (adaptive only); 10 unless said. */
  reorderWindowMs?: number;
  /** false (`--no-loss-timers`, adaptive only): ask only for losses later arrivals reveal, never on a timeout. */
  lossTimers?: boolean;
}

/** What a recovery strategy may do: ask for seqs, send a line, and learn what the client holds. */
export interface RecoveryHost {
  /** The seqs of [from, to) not held yet. */
  missing(from: number, to: number): number[];
  held(seq: number): boolean;
  /** Sends `resend|…` lines for these seqs; `timeoutMs` is the seed mode's new timeout, for the user. */
  requestResend(seqs: number[], timeoutMs?: number): void;
  sendLine(line: string): void;
}

/** One download's loss recovery, told about parts and arrivals by the receiver. */
export interface Recovery {
  /** The client now waits for every seq of [from, to). */
  startPart(from: number, to: number): void;
  /** A valid datagram arrived; `isNew` when it was not held yet. */
  onDatagram(seq: number, isNew: boolean): void;
  /** Every seq of the current part is held. */
  partDone(): void;
  close(): void;
}
