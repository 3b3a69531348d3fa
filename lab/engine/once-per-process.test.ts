import { describe, expect, it } from 'vitest';
import { oncePerProcess } from './once-per-process.ts';

describe('oncePerProcess', () => {
  it('shares one run between callers, and tries again after a failure', async () => {
    let calls = 0;
    const flaky = oncePerProcess(async () => {
      calls++;
      if (calls === 1) throw new Error('engine still starting');
      return calls;
    });
    await expect(flaky()).rejects.toThrow('engine still starting');
    expect(await Promise.all([flaky(), flaky()])).toEqual([2, 2]);
    expect(await flaky()).toBe(2);
    expect(calls).toBe(2);
  });
});
