import { describe, expect, it } from 'vitest';
import { LineLog } from './line-log.ts';

describe('LineLog', () => {
  it('splits chunks into lines and keeps them all', () => {
    const log = new LineLog('t');
    log.push('a\nb');
    log.push('c\r\nd');
    log.end();
    expect(log.lines).toEqual(['a', 'bc', 'd']);
  });

  it('consumes up to each match, so a wait sees only what came after the last one', async () => {
    const log = new LineLog('t');
    log.push('ok 1\nok 2\n');
    expect(await log.waitFor(/^ok/, 100)).toBe('ok 1');
    expect(await log.waitFor(/^ok/, 100)).toBe('ok 2');
    const later = log.waitFor(/^ok/, 1000);
    log.push('ok 3\n');
    expect(await later).toBe('ok 3');
    expect(await log.waitFor(/^ok 1/, 100, { fromStart: true })).toBe('ok 1');
  });

  it('rejects with a coded error on timeout and when the stream ends', async () => {
    const log = new LineLog('t');
    await expect(log.waitFor(/x/, 20)).rejects.toMatchObject({ code: 'LAB_ERR_LINE_TIMEOUT' });
    const pending = log.waitFor(/x/, 5000);
    log.end();
    await expect(pending).rejects.toThrow(/ended/);
  });

  it('iterates over every line, then stops at the end', async () => {
    const log = new LineLog('t');
    log.push('1\n');
    setTimeout(() => {
      log.push('2\n');
      log.end();
    }, 10);
    const seen: string[] = [];
    for await (const line of log) seen.push(line);
    expect(seen).toEqual(['1', '2']);
  });
});
