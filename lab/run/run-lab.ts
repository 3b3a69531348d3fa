import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { localOrDefaultEngine, type LabEngine } from '../engine/lab-engine.ts';
import { writeRunReport } from '../report/write-run-report.ts';
import { renderTable, shouldColor, writeRunSummary, type RunSummary } from '../results/index.ts';
import { runScenario, type ScenarioOutcome } from '../scenario/run-scenario.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { newRunId } from '../topology/run-id.ts';
import { engineSlots, jobsPerEngine } from './engine-slots.ts';
import { liveConsole, prefixedConsole, storyConsole, type RunConsole } from './live-status.ts';
import { runPooled } from './run-pool.ts';
import { planRun, type PlannedRun } from './run-plan.ts';
import { replayCommand, summarize } from './summarize.ts';
import type { Shard } from './shard.ts';

export interface LabRunOptions {
  /** The scenario runs of this run folder, in the plan's order (see planRun, selectRuns, shardOf)… */
  runs?: PlannedRun[];
  /** …or simply the scenarios, each run `repeat` times. */
  scenarios?: Scenario[];
  /** Every scenario run of the whole plan, by name, when this run is one shard of it. */
  planned?: string[];
  seed: number;
  repeat?: number;
  shard?: Shard;
  /** Where scenarios run; the default engine (DOCKER_HOST, the Docker context) unless said. */
  engines?: LabEngine[];
  /** Scenarios at once per engine; from each engine's cores and memory unless said. */
  jobs?: number;
  outDir: string;
  keep?: boolean;
  /** Start the server with other flags than the scenarios expect. */
  serverOverrides?: { pause?: number };
  /** Where progress goes; picked from the terminal and the jobs unless said. */
  console?: RunConsole;
  /** Every line of output goes here instead of stdout (the story of one scenario at a time, then the table). */
  print?: (line: string) => void;
}

export interface LabRun {
  summary: RunSummary;
  runDir: string;
  outcomes: ScenarioOutcome[];
}

/**
 * Runs the planned scenarios, up to `jobs` at once on each engine, each on its own hosts and
 * networks, and writes the run's summary, junit.xml and report in the plan's order, whatever
 * finished first.
 */
export async function runLab(opts: LabRunOptions): Promise<LabRun> {
  const runs = opts.runs ?? planRun(opts.scenarios ?? [], { seed: opts.seed, repeat: opts.repeat ?? 1 });
  const engines = opts.engines ?? [localOrDefaultEngine()];
  const runId = newRunId();
  const runDir = path.resolve(opts.outDir, runId);
  await mkdir(runDir, { recursive: true });
  const started = Date.now();
  // Images first, on every engine at once: a missing engine fails the run before any scenario starts.
  await Promise.all(engines.map((e) => e.appImage()));
  const jobs = await jobsPerEngine(engines, opts.jobs);
  const parallel = Object.values(jobs).reduce((a, b) => a + b, 0) > 1 && runs.length > 1;
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const out = opts.console ?? pickConsole(parallel, opts.print);
  out.print(
    `lab run ${runId}, seed ${opts.seed} (replay with --seed ${opts.seed}); results in ${runDir}` +
      (opts.shard ? `\nshard ${opts.shard.index}/${opts.shard.count}: ${runs.length} scenario runs` : '') +
      `\n${engines.map((e) => `engine ${e.url}: ${jobs[e.url]} at once`).join('\n')}`,
  );
  if (opts.serverOverrides?.pause !== undefined)
    out.print(
      `the server runs with --pause ${opts.serverOverrides.pause}, whatever the scenarios expect: some checks should fail`,
    );
  const ranOn = new Map<string, string>();
  const pool = { alone: (run: PlannedRun) => run.scenario.alone === true, groupOf: (engine: LabEngine) => engine.url };
  const outcomes = await runPooled(
    runs,
    engineSlots(engines, jobs),
    (run, engine) => {
      ranOn.set(run.name, engine.url);
      return runOne(run, engine, { opts, runId, runDir, out });
    },
    pool,
  );
  out.close();
  const plan = planRecord(opts, runs, outcomes, { jobs, ranOn });
  const summary = summarize({ runId, started, seed: opts.seed, outcomes, plan });
  await writeRunSummary(runDir, summary);
  const report = await writeRunReport(
    runDir,
    summary,
    outcomes.map((o, i) => ({ ...o, title: runs[i].scenario.title })),
  );
  print(`\n${renderTable(summary.scenarios, { color: shouldColor() })}`);
  if (parallel) print(`wall time ${(summary.durationMs / 1000).toFixed(1)} s`);
  print(`pcaps, logs and timelines: ${runDir}`);
  if (!summary.passed) print(`replay the same losses with: ${replayCommand(summary)}`);
  print(`report: ${report}`);
  return { summary, runDir, outcomes };
}

/** One scenario run on one engine, said on the console as it starts and ends. */
async function runOne(
  run: PlannedRun,
  engine: LabEngine,
  ctx: { opts: LabRunOptions; runId: string; runDir: string; out: RunConsole },
): Promise<ScenarioOutcome> {
  const { opts, out } = ctx;
  out.started(run.name, run.scenario.title);
  const outcome = await runScenario(
    { ...run.scenario, name: run.name },
    {
      runId: ctx.runId,
      runDir: ctx.runDir,
      seed: run.seed,
      engine,
      keep: opts.keep,
      serverOverrides: opts.serverOverrides,
      note: (message) => out.note(run.name, message),
    },
  );
  const { result } = outcome;
  const seconds = (result.durationMs / 1000).toFixed(1);
  out.finished(
    run.name,
    result.passed
      ? `✔ ${run.name} passed in ${seconds} s`
      : `✘ ${run.name} FAILED in ${seconds} s: ${result.failure?.message}`,
  );
  return outcome;
}

/** The plan as summary.json records it: what was asked, and where and how each scenario run ran. */
function planRecord(
  opts: LabRunOptions,
  runs: readonly PlannedRun[],
  outcomes: readonly ScenarioOutcome[],
  { jobs, ranOn }: { jobs: Record<string, number>; ranOn: ReadonlyMap<string, string> },
) {
  return {
    repeat: opts.repeat ?? 1,
    shard: opts.shard ?? null,
    planned: opts.planned ?? runs.map((r) => r.name),
    jobs,
    runs: Object.fromEntries(
      runs.map((r, i) => [
        r.name,
        {
          scenario: r.scenario.name,
          title: r.scenario.title,
          repeat: r.repeat,
          seed: r.seed,
          engine: ranOn.get(r.name) ?? '',
          kind: outcomes[i].kind,
        },
      ]),
    ),
  };
}

function pickConsole(parallel: boolean, print?: (line: string) => void): RunConsole {
  const write = print ? (text: string) => print(text.replace(/\n$/, '')) : (text: string) => process.stdout.write(text);
  if (print || !parallel) return storyConsole(write);
  return process.stdout.isTTY ? liveConsole(process.stdout) : prefixedConsole(write);
}
