import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RUN_FILE,
  scenarioDir,
  scenarioResult,
  writeRunSummary,
  writeScenarioResults,
  type RunPlan,
} from '../results/index.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { mergeRuns } from './merge-runs.ts';
import { planRun, type PlannedRun } from './run-plan.ts';
import { shardOf } from './shard.ts';
import { summarize } from './summarize.ts';

const scenarios = ['walkthrough', 'chosen-drops', 'random-loss', 'server-killed', 'slow-link'].map(
  (name) => ({ name, title: `the ${name} story`, clients: { alice: {} } }) as unknown as Scenario,
);

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'merge-test-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** A run folder as `npm run lab` leaves it, for the given part of a plan; chosen-drops fails. */
async function runFolder(dir: string, runs: PlannedRun[], all: PlannedRun[], seed: number, shard: RunPlan['shard']) {
  const outcomes = [];
  for (const r of runs) {
    const failure = r.scenario.name === 'chosen-drops' ? new Error('seq 3 was never resent') : undefined;
    const result = scenarioResult(r.name, 1000 + r.index, [], failure);
    await writeScenarioResults(scenarioDir(dir, r.name), result, []);
    outcomes.push({ result, impairment: { mechanisms: ['nftables'] } });
  }
  const kind = { clients: ['alice'], downloads: 0, dropRules: false };
  const summary = summarize({
    runId: path.basename(dir),
    started: Date.now() - 5000,
    seed,
    outcomes,
    plan: {
      repeat: 2,
      shard,
      planned: all.map((r) => r.name),
      jobs: { 'unix:///var/run/docker.sock': 3 },
      runs: Object.fromEntries(
        runs.map((r) => [
          r.name,
          { scenario: r.scenario.name, title: r.scenario.title, repeat: r.repeat, seed: r.seed, engine: 'unix', kind },
        ]),
      ),
    },
  });
  await writeRunSummary(dir, summary);
}

const cases = (xml: string) => [...xml.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((m) => m[1]);

describe('merging the run folders of shards', () => {
  it('gives the junit.xml cases, summary and scenario folders of the unsharded run, in the plan’s order', async () => {
    const all = planRun(scenarios, { seed: 5, repeat: 2 });
    await runFolder(path.join(root, 'whole'), all, all, 5, null);
    // CI artifacts: each shard's lab-results/ folder, holding its run folder.
    for (const index of [3, 1, 2])
      await runFolder(path.join(root, `shard-${index}`, `run-${index}`), shardOf(all, { index, count: 3 }), all, 5, {
        index,
        count: 3,
      });
    const merged = await mergeRuns(
      [path.join(root, 'shard-2'), path.join(root, 'shard-3'), path.join(root, 'shard-1')],
      path.join(root, 'out'),
    );
    const whole = await readFile(path.join(root, 'whole', RUN_FILE.junit), 'utf8');
    const joined = await readFile(path.join(merged.runDir, RUN_FILE.junit), 'utf8');
    expect(cases(joined)).toEqual(cases(whole));
    expect(cases(joined)).toEqual(all.map((r) => r.name));
    expect(joined).toContain('tests="10"');
    expect(merged.summary.scenarios.filter((s) => !s.passed).map((s) => s.name)).toEqual([
      'chosen-drops.r1',
      'chosen-drops.r2',
    ]);
    expect(merged.summary.passed).toBe(false);
    expect(merged.summary.plan?.shard).toBeNull();
    expect(Object.keys(merged.summary.plan!.runs).sort()).toEqual(all.map((r) => r.name).sort());
    const folders = (await readdir(merged.runDir, { withFileTypes: true })).filter((e) => e.isDirectory());
    expect(folders.map((f) => f.name).sort()).toEqual(all.map((r) => r.name).sort());
    expect(await readdir(merged.runDir)).toEqual(expect.arrayContaining([RUN_FILE.summary, RUN_FILE.report]));
  });

  it('refuses shards of different runs, a shard missing, or a scenario run twice, naming them', async () => {
    const all = planRun(scenarios, { seed: 5, repeat: 2 });
    const part = (index: number) => shardOf(all, { index, count: 2 });
    await runFolder(path.join(root, 'a'), part(1), all, 5, { index: 1, count: 2 });
    await runFolder(path.join(root, 'b'), part(2), all, 6, { index: 2, count: 2 });
    await runFolder(path.join(root, 'c'), part(2), all, 5, { index: 2, count: 2 });
    const out = path.join(root, 'out');
    await expect(mergeRuns([path.join(root, 'a'), path.join(root, 'b')], out)).rejects.toThrow(
      /not a shard of the same run .*seed 6 vs 5/,
    );
    await expect(mergeRuns([path.join(root, 'a')], out)).rejects.toThrow(
      new RegExp(`no shard holds .*${part(2)[0].name.replace('.', '\\.')}`),
    );
    await expect(
      mergeRuns([path.join(root, 'a'), path.join(root, 'c'), path.join(root, 'c')], out),
    ).rejects.toMatchObject({
      code: 'LAB_ERR_MERGE',
      message: expect.stringMatching(/in more than one shard/),
    });
  });
});
