import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../lab/scenario/run-scenario.ts';
import { newRunId } from '../lab/topology/run-id.ts';
import { scenarios } from './index.ts';

// A defence is proven by the attack that succeeds without it: each fault and attack scenario,
// run once against a server or client with its defence switched off, must fail, naming what broke.
let runDir: string;
const runId = newRunId();
const seed = Number(process.env.LAB_SEED ?? 20261125);
const named = (name: string) => {
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
};

beforeAll(async () => {
  runDir = await mkdtemp(path.join(tmpdir(), 'lab-defences-off-'));
});

afterAll(async () => {
  if (!process.env.LAB_KEEP_RESULTS) await rm(runDir, { recursive: true, force: true });
});

describe('the lab catches an attack or a fault when its defence is switched off', () => {
  it(
    'port-exhaustion, against a server with --max-per-address 0 --idle-before-connect 0: alice finds her port full',
    { timeout: 180_000 },
    async () => {
      const { result, dir } = await runScenario(
        { ...named('port-exhaustion'), name: 'port-exhaustion-undefended' },
        { runId, runDir, seed, serverOverrides: { maxPerAddress: 0, idleBeforeConnect: 0 } },
      );
      expect(result.passed).toBe(false);
      expect(result.failure?.code, result.failure?.message).toBe('LAB_ERR_EXPECTATION');
      expect(result.failure?.expectation, result.failure?.message).toBe('connect');
      expect(result.failure?.message).toMatch(/printed "can't connect\. Port 55000 is full\. Try another port"/);
      expect(JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')).passed).toBe(false);
    },
  );
  it(
    'reordering, against clients with --reorder-window 0: the late datagrams are asked for as if lost',
    { timeout: 180_000 },
    async () => {
      const { result } = await runScenario(
        { ...named('reordering'), name: 'reordering-no-window' },
        { runId, runDir, seed, clientOverrides: { reorderWindowMs: 0 } },
      );
      expect(result.passed).toBe(false);
      expect(result.failure?.expectation, result.failure?.message).toBe('notRequested');
      expect(result.failure?.message).toMatch(/they were late, not lost\): seq \d+ was requested at/);
    },
  );

  it(
    "seed-vs-adaptive, with both clients on the seed's recovery: the comparison says the default is not faster",
    { timeout: 180_000 },
    async () => {
      const { result } = await runScenario(
        { ...named('seed-vs-adaptive'), name: 'seed-vs-seed' },
        { runId, runDir, seed, clientOverrides: { recovery: 'seed' } },
      );
      expect(result.passed).toBe(false);
      expect(result.failure?.expectation, result.failure?.message).toBe('adaptiveFaster');
    },
  );

  it(
    'spoofed-datagrams, against a client with --no-verify: the forged bytes that won the race end up in the saved file',
    { timeout: 180_000 },
    async () => {
      const { result } = await runScenario(
        { ...named('spoofed-datagrams'), name: 'spoofed-datagrams-unverified' },
        { runId, runDir, seed, clientOverrides: { verify: false } },
      );
      expect(result.passed).toBe(false);
      expect(result.failure?.expectation, result.failure?.message).toBe('sha256Equal');
      expect(result.failure?.message).toMatch(
        /^SHA-256 of report-copy\.bin is [0-9a-f]{64} but SHA-256 of \S+report\.bin is /,
      );
    },
  );

  // Two defences carry a download through an outage, and either alone is enough: the server's
  // pacing holds back once the client's reports stop (it keeps probing at about 30 datagrams a
  // second, so what it sends after the heal reveals the gaps), and the client's loss timers ask
  // for what nothing revealed. Only with both off is the end of the download lost for good.
  it.each([
    ['partition-and-heal', 'the end of the download is lost in the partition and never asked for'],
    ['router-restart', 'the datagrams lost at the end of a part are never asked for'],
  ])(
    '%s, against a server with --fixed-rate and a client with --no-loss-timers: %s',
    { timeout: 180_000 },
    async (name) => {
      const { result } = await runScenario(
        { ...named(name), name: `${name}-undefended` },
        {
          runId,
          runDir,
          seed,
          serverOverrides: { fixedRate: true },
          clientOverrides: { lossTimers: false },
          // Defended, the download reached `Save as:` 6 and 11 s after `proceed` (a sequential run
          // here): three times that without its next step is a stall, not a slow path.
          stepWaitMs: 30_000,
        },
      );
      expect(result.passed).toBe(false);
      expect(result.failure?.code, result.failure?.message).toBe('LAB_ERR_LINE_TIMEOUT');
      // The download stalls: the client never gets to the pause, or never to `Save as:`.
      expect(result.failure?.message).toMatch(/^alice stdout: no line matching \/\^\(?(Download reached|Save as)/);
    },
  );
});
