import type { CaptureWarning } from './capture-warnings.ts';
import type { ScenarioKind } from './run-folder.ts';

export interface DatagramCounts {
  sent: number;
  dropped: number;
  resent: number;
}

export interface FailureInfo {
  message: string;
  /** The error's stable code, e.g. LAB_ERR_EXPECTATION; null for an uncoded error. */
  code: string | null;
  /** For an ExpectationFailed, which assertion. */
  expectation?: string;
  stack?: string;
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  durationMs: number;
  datagrams: DatagramCounts;
  failure: FailureInfo | null;
  /** The seed this scenario's random losses were drawn from: `--seed` with it replays them. */
  seed?: number;
  /** The scenario's folder, relative to the run folder. */
  dir?: string;
  /** Its pcaps, relative to the run folder. */
  captures?: string[];
  /** What any of them could not record: a capture cut short (its host killed), kernel drops, … */
  captureWarnings?: CaptureWarning[];
}

export interface MachineInfo {
  hostname: string;
  platform: string;
  release: string;
  arch: string;
  cpus: number;
  memoryGiB: number;
  node: string;
}

export interface RunSummary {
  runId: string;
  /** ISO 8601 time the run started. */
  date: string;
  /** The seed random loss used; replaying with it reproduces the drops. */
  seed: number | string | null;
  machine: MachineInfo;
  /** How loss was applied, e.g. "nftables" or "netem", with whatever parameters matter. */
  impairment: { mechanism: string; [detail: string]: unknown };
  passed: boolean;
  durationMs: number;
  scenarios: ScenarioResult[];
  /** How the run was planned and where each scenario ran: what a merge of shards needs. */
  plan?: RunPlan;
}

/** One scenario run of a lab run, as planned (lab/run): a scenario, which repeat, its seed, where it ran. */
export interface PlannedScenario {
  scenario: string;
  title: string;
  repeat: number;
  /** Derived from the run's seed, the scenario's name and the repeat alone. */
  seed: number;
  /** The Docker engine it ran on. */
  engine: string;
  kind: ScenarioKind;
}

export interface RunPlan {
  /** Each scenario ran this many times (names `<scenario>.r<k>` when more than once). */
  repeat: number;
  /** Which part of the plan this run took (`--shard i/n`); null for all of it. */
  shard: { index: number; count: number } | null;
  /** Every scenario run of the whole plan, in order: the shards together cover it once. */
  planned: string[];
  /** Scenarios at once, per engine. */
  jobs: Record<string, number>;
  /** The scenario runs of this run folder, by name. */
  runs: Record<string, PlannedScenario>;
}
