import { formatClientCommand } from '../protocol/client-commands.ts';

// Well under the 65536-byte line limit, so a server with a smaller buffer still copes.
export const RESEND_LINE_BUDGET = 16_384;

/** Splits the missing seqs into `resend|…` lines of at most `budget` bytes each. */
export function resendLines(seqs: readonly number[], budget = RESEND_LINE_BUDGET): string[] {
  const lines: string[] = [];
  let batch: number[] = [];
  let bytes = 'resend'.length;
  for (const seq of seqs) {
    const cost = String(seq).length + 1;
    if (batch.length > 0 && bytes + cost > budget) {
      lines.push(formatClientCommand({ type: 'resend', seqs: batch }));
      batch = [];
      bytes = 'resend'.length;
    }
    batch.push(seq);
    bytes += cost;
  }
  if (batch.length > 0) lines.push(formatClientCommand({ type: 'resend', seqs: batch }));
  return lines;
}
