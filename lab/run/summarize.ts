import { machineInfo, type MachineInfo, type RunPlan, type RunSummary, type ScenarioResult } from '../results/index.ts';

export interface SummaryInput {
  runId: string;
  /** Epoch ms the run started. */
  started: number;
  seed: number;
  /** In the plan's order. */
  /** Each scenario's impairment.json (a merge reads them back from the shards' summaries). */
  outcomes: ReadonlyArray<{ result: ScenarioResult; impairment: { mechanisms: readonly string[] } | null }>;
  plan: RunPlan;
  durationMs?: number;
  /** The machine that ran it; this one unless said (a merge keeps the shards'). */
  machine?: MachineInfo;
}

/** summary.json of a run (or of shards merged): verdicts in the plan's order, how loss was applied, the plan. */
export function summarize(input: SummaryInput): RunSummary {
  const { outcomes } = input;
  const mechanisms = [...new Set(outcomes.flatMap((o) => o.impairment?.mechanisms ?? []))];
  return {
    runId: input.runId,
    date: new Date(input.started).toISOString(),
    seed: input.seed,
    machine: input.machine ?? machineInfo(),
    impairment: {
      mechanism: mechanisms.join(' + ') || 'none',
      perScenario: Object.fromEntries(outcomes.map((o) => [o.result.name, o.impairment])),
    },
    passed: outcomes.every((o) => o.result.passed),
    durationMs: input.durationMs ?? Date.now() - input.started,
    scenarios: outcomes.map((o) => o.result),
    plan: input.plan,
  };
}

/** The command that runs the failed scenario runs again with the very same seeds. */
export function replayCommand(summary: RunSummary): string {
  const failed = summary.scenarios.filter((s) => !s.passed).map((s) => s.name);
  return `npm run lab -- --seed ${summary.seed} ${failed.join(' ')}`;
}
