import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeRunReport } from '../report/write-run-report.ts';
import { machineInfo, renderTable, shouldColor, writeRunSummary, type RunSummary } from '../results/index.ts';
import { runScenario, type ScenarioOutcome } from '../scenario/run-scenario.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { newRunId } from '../topology/run-id.ts';

export interface LabRunOptions {
  scenarios: Scenario[];
  seed: number;
  outDir: string;
  keep?: boolean;
  /** Start the server with other flags than the scenarios expect. */
  serverOverrides?: { pause?: number };
  /** Live progress goes here (the console by default). */
  print?: (line: string) => void;
}

export interface LabRun {
  summary: RunSummary;
  runDir: string;
  outcomes: ScenarioOutcome[];
}

/** Runs scenarios one after the other, each on its own topology, and writes the run's summary. */
export async function runLab(opts: LabRunOptions): Promise<LabRun> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const runId = newRunId();
  const runDir = path.resolve(opts.outDir, runId);
  await mkdir(runDir, { recursive: true });
  const started = Date.now();
  print(`lab run ${runId}, seed ${opts.seed} (replay with --seed ${opts.seed}); results in ${runDir}`);
  if (opts.serverOverrides?.pause !== undefined)
    print(
      `the server runs with --pause ${opts.serverOverrides.pause}, whatever the scenarios expect: some checks should fail`,
    );
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of opts.scenarios) {
    print(`\n▶ ${scenario.name}: ${scenario.title}`);
    const outcome = await runScenario(scenario, {
      runId,
      runDir,
      seed: opts.seed,
      keep: opts.keep,
      serverOverrides: opts.serverOverrides,
      note: (message) => print(`    ${message}`),
    });
    const { result } = outcome;
    const seconds = (result.durationMs / 1000).toFixed(1);
    print(
      result.passed
        ? `✔ ${scenario.name} passed in ${seconds} s`
        : `✘ ${scenario.name} FAILED in ${seconds} s: ${result.failure?.message}`,
    );
    outcomes.push(outcome);
  }
  const mechanisms = [
    ...new Set(outcomes.flatMap((o) => (o.impairment as { mechanisms?: string[] } | null)?.mechanisms ?? [])),
  ];
  const summary: RunSummary = {
    runId,
    date: new Date(started).toISOString(),
    seed: opts.seed,
    machine: machineInfo(),
    impairment: {
      mechanism: mechanisms.join(' + ') || 'none',
      perScenario: Object.fromEntries(outcomes.map((o) => [o.result.name, o.impairment])),
    },
    passed: outcomes.every((o) => o.result.passed),
    durationMs: Date.now() - started,
    scenarios: outcomes.map((o) => o.result),
  };
  await writeRunSummary(runDir, summary);
  const report = await writeRunReport(
    runDir,
    summary,
    outcomes.map((o, i) => ({ ...o, title: opts.scenarios[i].title })),
  );
  print(`\n${renderTable(summary.scenarios, { color: shouldColor() })}`);
  print(
    `pcaps, logs and timelines: ${runDir}${
      summary.passed
        ? ''
        : `\nreplay the same losses with: npm run lab -- --seed ${opts.seed} ${summary.scenarios
            .filter((s) => !s.passed)
            .map((s) => s.name)
            .join(' ')}`
    }`,
  );
  print(`report: ${report}`);
  return { summary, runDir, outcomes };
}
