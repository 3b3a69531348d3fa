import { expect, it } from 'vitest';
import { parseClientCommand } from '../protocol/client-commands.ts';
import { resendLines } from './resend-lines.ts';

it('lists the seqs in one line when they fit', () => {
  expect(resendLines([0, 2, 17])).toEqual(['resend|0|2|17']);
  expect(resendLines([])).toEqual([]);
});

it('splits many seqs into lines within the budget, losing none and keeping order', () => {
  const seqs = Array.from({ length: 50_000 }, (_, i) => i * 3);
  const lines = resendLines(seqs, 1000);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(1000);
  const back = lines.flatMap((line) => {
    const parsed = parseClientCommand(line);
    return parsed.ok && parsed.command.type === 'resend' ? parsed.command.seqs : [];
  });
  expect(back).toEqual(seqs);
});

it('keeps the default lines well under the 65536-byte line limit', () => {
  const lines = resendLines(Array.from({ length: 100_000 }, (_, i) => 4_000_000_000 + i));
  for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThan(20_000);
});
