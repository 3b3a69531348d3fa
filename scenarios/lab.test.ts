import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesLeftBy } from '../lab/results/run-folder.ts';
import { runScenario } from '../lab/scenario/run-scenario.ts';
import { newRunId } from '../lab/topology/run-id.ts';
import { scenarios } from './index.ts';

// The network regression suite: every scenario of `npm run lab`, on real containers.
let runDir: string;
const runId = newRunId();
const seed = Number(process.env.LAB_SEED ?? 20261125);
/** Captures that must be flagged as cut short: tcpdump dies with the host a scenario kills. */
const CUT_SHORT: Record<string, string[]> = { 'server-killed': ['server.pcap'] };

beforeAll(async () => {
  runDir = await mkdtemp(path.join(tmpdir(), 'lab-suite-'));
});

afterAll(async () => {
  if (!process.env.LAB_KEEP_RESULTS) await rm(runDir, { recursive: true, force: true });
});

describe('lab scenarios', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: ${scenario.title}`, { timeout: 180_000 }, async () => {
      const { result, dir, kind } = await runScenario(scenario, { runId, runDir, seed });
      expect(result.failure?.message ?? null).toBeNull();
      expect(result.passed).toBe(true);
      // The folder holds exactly the files the run-folder module names for this kind of scenario.
      const files = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
      expect(files.sort()).toEqual([...filesLeftBy(kind)].sort());
      // Paths inside are relative, so the run folder can be moved or archived.
      for (const f of files.filter((name) => /\.(json|xml|txt)$/.test(name)))
        expect(await readFile(path.join(dir, f), 'utf8'), f).not.toContain(runDir);
      expect(result.captures?.length).toBeGreaterThanOrEqual(3);
      // A capture that misses the end of the story says so, beside the verdict; no other does.
      const cut = (result.captureWarnings ?? []).filter((w) => w.kind === 'cut-short').map((w) => w.file);
      expect(cut).toEqual((CUT_SHORT[scenario.name] ?? []).map((f) => `${path.basename(dir)}/${f}`));
    });
  }
});

describe('the lab catches a misbehaving server', () => {
  it(
    'fails the walkthrough, naming the broken promise, when the server runs with --pause 100',
    { timeout: 180_000 },
    async () => {
      const walkthrough = scenarios.find((s) => s.name === 'walkthrough')!;
      const { result, dir } = await runScenario(
        { ...walkthrough, name: 'walkthrough-pause-100' },
        { runId, runDir, seed, serverOverrides: { pause: 100 } },
      );
      expect(result.passed).toBe(false);
      expect(result.failure?.code).toBe('LAB_ERR_EXPECTATION');
      expect(result.failure?.expectation).toBe('nothingPastPauseBeforeProceed');
      expect(result.failure?.message).toMatch(/seq \d+ \(≥ H = 3\) was sent at .* before `proceed`/);
      // The evidence is kept for the reader: the pcaps and the result naming the failure.
      expect(JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')).passed).toBe(false);
    },
  );
});
