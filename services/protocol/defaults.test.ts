import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT_RANGE, parsePausePercent } from './defaults.ts';

describe('--pause, as the server, the client and the lab read it', () => {
  it('takes a whole percentage from 1 to 100', () => {
    expect(['1', '50', '100'].map(parsePausePercent)).toEqual([
      { ok: true, percent: 1 },
      { ok: true, percent: 50 },
      { ok: true, percent: 100 },
    ]);
  });

  it('refuses 0, above 100, fractions, signs and words, saying what it expects', () => {
    for (const text of ['0', '101', '1000', '50.5', '-5', '+5', ' 50', '', 'half'])
      expect(parsePausePercent(text), text).toEqual({ ok: false, reason: 'expected a whole number from 1 to 100' });
  });

  it('names the default ports as the server flag and the client prompt spell them', () => {
    expect(DEFAULT_PORT_RANGE).toBe('55000-55015');
  });
});
