import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from './run-scenario.ts';
import type { Scenario } from './scenario.ts';
import { ScenarioRun } from './scenario-run.ts';

// What a run does when its hosts cannot even be described: no engine is asked, so this runs anywhere.
const runDir = await mkdtemp(path.join(tmpdir(), 'scenario-run-'));
afterAll(() => rm(runDir, { recursive: true, force: true }));

function broken(played: string[]): Scenario {
  return {
    name: 'bad-client',
    title: 'a client whose name no host can have',
    clients: { 'Not A Host Name': {} },
    async run() {
      played.push('story');
    },
  };
}

describe('ScenarioRun', () => {
  it('turns a failure before the hosts into a failed outcome with its code and a result.json, without throwing', async () => {
    const played: string[] = [];
    const outcome = await runScenario(broken(played), { runId: 'unit', runDir, seed: 7 });
    expect(played).toEqual([]);
    expect(outcome.result).toMatchObject({ name: 'bad-client', passed: false, seed: 7 });
    expect(outcome.result.failure).toMatchObject({ code: 'LAB_ERR_TOPOLOGY' });
    expect(outcome.impairment).toBeNull();
    expect(outcome.kind).toEqual({ clients: ['Not A Host Name'], attacker: false, downloads: 0, dropRules: false });
    const written = JSON.parse(await readFile(path.join(outcome.dir, 'result.json'), 'utf8'));
    expect(written.failure.code).toBe('LAB_ERR_TOPOLOGY');
    expect((await readdir(outcome.dir)).sort()).toEqual(['files', 'result.json', 'timeline.json']);
  });

  it('keeps the first failure: a later step does not hide it, and disposing twice is harmless', async () => {
    const played: string[] = [];
    const run = new ScenarioRun({ ...broken(played), name: 'bad-twice' }, { runId: 'unit', runDir, seed: 1 });
    await run.start();
    await run.play();
    await run[Symbol.asyncDispose]();
    const outcome = await run.verdict();
    await run[Symbol.asyncDispose]();
    expect(played).toEqual([]);
    expect(outcome.result.failure?.message).toMatch(/client name "Not A Host Name" must match/);
  });
});
