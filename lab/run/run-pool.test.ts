import { describe, expect, it } from 'vitest';
import { engineSlots } from './engine-slots.ts';
import { defaultJobs } from './default-jobs.ts';
import { runPooled } from './run-pool.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('running scenarios on slots', () => {
  it('returns results in the items’ order whichever finished first, never more at once than slots', async () => {
    let running = 0;
    let most = 0;
    const finished: number[] = [];
    const results = await runPooled([50, 10, 30, 5, 20, 1], ['s1', 's2', 's3'], async (ms, slot) => {
      running++;
      most = Math.max(most, running);
      await sleep(ms);
      running--;
      finished.push(ms);
      return `${ms}@${slot}`;
    });
    expect(results.map((r) => Number(r.split('@')[0]))).toEqual([50, 10, 30, 5, 20, 1]);
    expect(finished).not.toEqual([50, 10, 30, 5, 20, 1]);
    expect(most).toBe(3);
  });

  it('interleaves the engines’ slots, so that a short list is spread over every engine', () => {
    const a = { url: 'unix:///a' };
    const b = { url: 'tcp://b:2375' };
    expect(engineSlots([a, b], { [a.url]: 3, [b.url]: 1 })).toEqual([a, b, a, a]);
  });

  it('runs by default as many at once as the cores carry and half the memory holds, at least one', () => {
    expect(defaultJobs({ cores: 2, memoryGiB: 24 })).toBe(3);
    expect(defaultJobs({ cores: 16, memoryGiB: 4 })).toBe(2);
    expect(defaultJobs({ cores: 1, memoryGiB: 1 })).toBe(1);
  });
});
