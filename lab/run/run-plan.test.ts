import { describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario/scenario.ts';
import { instanceName, parseInstanceName, planRun, scenarioSeed } from './run-plan.ts';
import { selectRuns } from './select-runs.ts';

const named = (...names: string[]) => names.map((name) => ({ name, title: name }) as Scenario);

describe('the plan of a run', () => {
  it("gives each scenario a seed from the run's seed, its name and the repeat alone", () => {
    const forward = planRun(named('a', 'b', 'c'), { seed: 7, repeat: 2 });
    const backward = planRun(named('c', 'b', 'a'), { seed: 7, repeat: 2 });
    const seeds = (plan: typeof forward) => Object.fromEntries(plan.map((r) => [r.name, r.seed]));
    expect(seeds(backward)).toEqual(seeds(forward));
    expect(forward.find((r) => r.name === 'b.r2')?.seed).toBe(scenarioSeed(7, 'b', 2));
    expect(new Set(forward.map((r) => r.seed)).size).toBe(6);
    expect(planRun(named('a'), { seed: 8, repeat: 1 })[0].seed).not.toBe(forward[0].seed);
    for (const r of forward) expect(r.seed).toBeGreaterThanOrEqual(1);
  });

  it('lists every scenario × repeat in the scenarios’ order, names suffixed only when repeated', () => {
    expect(planRun(named('a', 'b'), { seed: 1, repeat: 1 }).map((r) => r.name)).toEqual(['a', 'b']);
    expect(planRun(named('a', 'b'), { seed: 1, repeat: 3 }).map((r) => `${r.index}:${r.name}`)).toEqual([
      '0:a.r1',
      '1:a.r2',
      '2:a.r3',
      '3:b.r1',
      '4:b.r2',
      '5:b.r3',
    ]);
    expect(instanceName('random-loss', 1, 1)).toBe('random-loss');
    expect(parseInstanceName('random-loss.r12')).toEqual({ name: 'random-loss', repeat: 12 });
    expect(parseInstanceName('random-loss')).toEqual({ name: 'random-loss' });
  });
});

describe('the scenarios a command line names', () => {
  const all = named('a', 'b', 'c');

  it('keeps the scenarios’ order whatever the order of the names', () => {
    expect(selectRuns(all, ['c', 'a'], { seed: 1, repeat: 1 }).map((r) => r.name)).toEqual(['a', 'c']);
  });

  it('replays one repeat by its printed name, with the seed it had in the repeated run', () => {
    const repeated = planRun(all, { seed: 99, repeat: 5 });
    const [replay] = selectRuns(all, ['b.r4'], { seed: 99, repeat: 1 });
    expect(replay).toMatchObject({ name: 'b.r4', repeat: 4, seed: repeated.find((r) => r.name === 'b.r4')!.seed });
    // The first repeat of a repeated run is the same run as the scenario run alone.
    expect(selectRuns(all, ['b'], { seed: 99, repeat: 1 })[0].seed).toBe(repeated.find((r) => r.name === 'b.r1')!.seed);
  });

  it('refuses a name that is no scenario, with a coded error', () => {
    expect(() => selectRuns(all, ['a', 'zz', 'zz.r2'], { seed: 1, repeat: 1 })).toThrow(
      expect.objectContaining({ code: 'LAB_ERR_UNKNOWN_SCENARIO', message: expect.stringContaining('zz, zz.r2') }),
    );
  });
});
