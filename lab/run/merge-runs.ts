import type { ImpairmentRecord } from '../impairment/applied-impairments.ts';
import { cp, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../errors/lab-error.ts';
import { writeRunReport } from '../report/write-run-report.ts';
import {
  RUN_FILE,
  SCENARIO_FILE,
  scenarioDir,
  writeRunSummary,
  type RunPlan,
  type RunSummary,
} from '../results/index.ts';
import type { DownloadTimeline } from '../timeline/index.ts';
import { newRunId } from '../topology/run-id.ts';
import { summarize } from './summarize.ts';

export class MergeError extends LabError {
  constructor(message: string) {
    super('LAB_ERR_MERGE', message);
  }
}

interface ShardRun {
  dir: string;
  summary: RunSummary & { plan: RunPlan };
}

export interface MergedRun {
  summary: RunSummary;
  runDir: string;
  report: string;
}

/**
 * Joins the run folders of shards (`--shard i/n` runs with one seed) into one run folder: the
 * scenario folders copied in, one summary.json, junit.xml and report.html in the whole plan's
 * order, as if one machine had run it all. Each given folder may be a run folder or a folder
 * holding run folders (a CI artifact of `lab-results/`). Fails, naming them, when the shards come
 * from different plans, or when a scenario run is missing or there twice.
 */
export async function mergeRuns(dirs: readonly string[], outDir: string): Promise<MergedRun> {
  const shards = (await Promise.all(dirs.map(runFoldersIn))).flat();
  if (shards.length === 0)
    throw new MergeError(`no run folder (one holding ${RUN_FILE.summary}) in ${dirs.join(', ')}`);
  const [first] = shards;
  const from = shardOfEachRun(shards);
  const { planned } = first.summary.plan;
  const runId = `${newRunId()}-merged`;
  const runDir = path.resolve(outDir, runId);
  await mkdir(runDir, { recursive: true });
  const outcomes = await Promise.all(planned.map((name) => copyScenario(from.get(name)!, name, runDir)));
  const started = Math.min(...shards.map((s) => Date.parse(s.summary.date)));
  const summary = summarize({
    runId,
    started,
    seed: Number(first.summary.seed),
    outcomes,
    machine: first.summary.machine,
    // The shards ran side by side: the longest one is the wall time of the whole.
    durationMs: Math.max(...shards.map((s) => s.summary.durationMs)),
    plan: {
      ...first.summary.plan,
      shard: null,
      jobs: mergeRecords(shards.map((s) => s.summary.plan.jobs)),
      runs: mergeRecords(shards.map((s) => s.summary.plan.runs)),
    },
  });
  await writeRunSummary(runDir, summary);
  const report = await writeRunReport(
    runDir,
    summary,
    outcomes.map((o) => {
      const planned = summary.plan!.runs[o.result.name];
      return { ...o, title: planned?.title, kind: planned.kind };
    }),
  );
  return { summary, runDir, report };
}

/** Which shard holds each scenario run; fails unless the shards are of one plan and hold every run once. */
function shardOfEachRun(shards: readonly ShardRun[]): Map<string, ShardRun> {
  const [first] = shards;
  for (const s of shards) {
    if (
      s.summary.seed !== first.summary.seed ||
      s.summary.plan.planned.join('\n') !== first.summary.plan.planned.join('\n')
    )
      throw new MergeError(
        `${s.dir} is not a shard of the same run as ${first.dir} (seed ${s.summary.seed} vs ${first.summary.seed}, or other scenarios): run every shard with the same --seed and the same scenarios`,
      );
  }
  const from = new Map<string, ShardRun>();
  const twice: string[] = [];
  for (const s of shards)
    for (const r of s.summary.scenarios) {
      if (from.has(r.name)) twice.push(`${r.name} (${from.get(r.name)!.dir} and ${s.dir})`);
      from.set(r.name, s);
    }
  const missing = first.summary.plan.planned.filter((name) => !from.has(name));
  if (twice.length > 0) throw new MergeError(`scenario runs in more than one shard: ${twice.join(', ')}`);
  if (missing.length > 0)
    throw new MergeError(`scenario runs no shard holds (a shard missing or cut short?): ${missing.join(', ')}`);
  return from;
}

/** Copies one scenario's folder from its shard into the merged run; its result, impairment and timelines. */
async function copyScenario(shard: ShardRun, name: string, runDir: string) {
  const result = shard.summary.scenarios.find((r) => r.name === name)!;
  const dir = scenarioDir(runDir, name);
  await cp(scenarioDir(shard.dir, name), dir, { recursive: true });
  const impairment = (shard.summary.impairment.perScenario as Record<string, ImpairmentRecord | null> | undefined)?.[
    name
  ];
  return { result, impairment: impairment ?? null, dir, timelines: await timelinesIn(dir) };
}

async function runFoldersIn(dir: string): Promise<ShardRun[]> {
  const here = await readSummary(dir);
  if (here) return [here];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new MergeError(`${dir}: no such folder`);
  });
  const found = await Promise.all(
    entries.filter((e) => e.isDirectory()).map((e) => readSummary(path.join(dir, e.name))),
  );
  return found.filter((s): s is ShardRun => s !== undefined).sort((a, b) => a.dir.localeCompare(b.dir));
}

async function readSummary(dir: string): Promise<ShardRun | undefined> {
  const file = path.join(dir, RUN_FILE.summary);
  if (!(await stat(file).catch(() => undefined))?.isFile()) return undefined;
  const summary = JSON.parse(await readFile(file, 'utf8')) as RunSummary;
  if (!summary.plan) throw new MergeError(`${file} has no plan: it was written by a lab that cannot merge runs`);
  return { dir: path.resolve(dir), summary: summary as ShardRun['summary'] };
}

async function timelinesIn(dir: string): Promise<DownloadTimeline[]> {
  try {
    const data = JSON.parse(await readFile(path.join(dir, SCENARIO_FILE.timeline), 'utf8')) as {
      downloads?: DownloadTimeline[];
    };
    return data.downloads ?? [];
  } catch {
    return [];
  }
}

/** The shards' records as one: each shard names only the scenarios it ran. */
function mergeRecords<V>(records: Record<string, V>[]): Record<string, V> {
  return Object.assign({}, ...records) as Record<string, V>;
}
