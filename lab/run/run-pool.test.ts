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

  it('runs the items that must be alone first, each with its engine to itself, then fills every slot', async () => {
    const items = [
      { name: 'a', ms: 20, alone: false },
      { name: 'timed-1', ms: 15, alone: true },
      { name: 'b', ms: 20, alone: false },
      { name: 'timed-2', ms: 15, alone: true },
      { name: 'c', ms: 20, alone: false },
      { name: 'd', ms: 20, alone: false },
    ];
    const slots = [
      { engine: 'e1', n: 1 },
      { engine: 'e1', n: 2 },
      { engine: 'e1', n: 3 },
    ];
    const running = new Set<string>();
    const startedWith: Record<string, string[]> = {};
    const starts: string[] = [];
    let most = 0;
    const results = await runPooled(
      items,
      slots,
      async (item) => {
        startedWith[item.name] = [...running];
        starts.push(item.name);
        running.add(item.name);
        most = Math.max(most, running.size);
        await sleep(item.ms);
        for (const other of running)
          if (other !== item.name && item.alone) throw new Error(`${other} beside ${item.name}`);
        running.delete(item.name);
        return item.name;
      },
      { alone: (item) => item.alone, groupOf: (slot) => slot.engine },
    );
    expect(results).toEqual(['a', 'timed-1', 'b', 'timed-2', 'c', 'd']);
    expect(starts.slice(0, 2)).toEqual(['timed-1', 'timed-2']);
    expect(startedWith['timed-1']).toEqual([]);
    expect(startedWith['timed-2']).toEqual([]);
    // Once the timed ones are done, the others run side by side.
    expect(most).toBe(3);
  });

  it('lets a scenario be alone on its own engine while the other engine goes on', async () => {
    const log: string[] = [];
    await runPooled(
      ['timed', 'x', 'y'],
      ['e1', 'e2'],
      async (item, slot) => {
        log.push(`${item}@${slot} start`);
        await sleep(item === 'timed' ? 30 : 5);
        log.push(`${item}@${slot} end`);
      },
      { alone: (item) => item === 'timed', groupOf: (slot) => slot },
    );
    // e2 ran x and y while e1 had the timed one to itself.
    expect(log.indexOf('y@e2 end')).toBeLessThan(log.indexOf('timed@e1 end'));
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
