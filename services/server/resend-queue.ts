/**
 * A seq resent less than this long ago is not resent again: repeated requests cannot make
 * the server send one seq more often than this, whatever a client asks.
 */
export const RESEND_WINDOW_MS = 10;
/** Past this many remembered resends, those older than the window are forgotten. */
const REMEMBERED = 4096;

export interface ResendOutcome {
  accepted: number[];
  /** Seqs never sent yet or out of range: a resend cannot make the server send ahead. */
  refused: number;
  /** Seqs resent within the last RESEND_WINDOW_MS, or waiting to be resent already. */
  suppressed: number;
}

/**
 * The seqs a download has to resend, in the order asked, and the rule that bounds them: only
 * seqs already sent, each at most once per RESEND_WINDOW_MS, none queued twice. So however a
 * client pads or repeats its `resend|…` lines, the queue never outgrows the file and the
 * server never sends more than the download again per window.
 */
export class ResendQueue {
  private readonly waiting: number[] = [];
  private readonly queued = new Set<number>();
  private readonly lastResent = new Map<number, number>();

  get length(): number {
    return this.waiting.length;
  }

  /** Takes what may be resent of `seqs`; `sent` is how many seqs have gone out so far (0..sent-1). */
  accept(seqs: readonly number[], sent: number, now: number): ResendOutcome {
    const accepted: number[] = [];
    let refused = 0;
    let suppressed = 0;
    for (const seq of new Set(seqs)) {
      if (seq >= sent) refused++;
      else if (this.queued.has(seq) || now - (this.lastResent.get(seq) ?? -Infinity) < RESEND_WINDOW_MS) suppressed++;
      else {
        this.lastResent.set(seq, now);
        this.queued.add(seq);
        accepted.push(seq);
      }
    }
    if (this.lastResent.size > REMEMBERED) this.forgetBefore(now - RESEND_WINDOW_MS);
    this.waiting.push(...accepted);
    return { accepted, refused, suppressed };
  }

  /** The next `count` seqs to resend, first asked first. */
  take(count: number): number[] {
    const seqs = this.waiting.splice(0, count);
    for (const seq of seqs) this.queued.delete(seq);
    return seqs;
  }

  // Keeps the map small however many seqs a long lossy download resends.
  private forgetBefore(time: number): void {
    for (const [seq, at] of this.lastResent) if (at < time) this.lastResent.delete(seq);
  }
}
