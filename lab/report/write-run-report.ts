import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { filesPresent } from '../results/files-present.ts';
import { RUN_FILE, type ScenarioKind } from '../results/run-folder.ts';
import type { RunSummary, ScenarioResult } from '../results/types.ts';
import type { DownloadTimeline } from '../timeline/types.ts';
import { renderRunReport } from './run-report.ts';

export interface ScenarioOutput {
  result: ScenarioResult;
  timelines: DownloadTimeline[];
  /** The scenario's folder (absolute, or relative to the working directory). */
  dir: string;
  /** What decides which files the folder holds. */
  kind: ScenarioKind;
  title?: string;
}

/** Writes report.html into the run folder, linking each scenario's files that are on disk; returns its path. */
export async function writeRunReport(runDir: string, summary: RunSummary, outputs: ScenarioOutput[]): Promise<string> {
  const scenarios = await Promise.all(
    outputs.map(async (o) => ({
      result: o.result,
      timelines: o.timelines,
      title: o.title,
      dir: path.relative(runDir, path.resolve(o.dir)).split(path.sep).join('/'),
      files: await filesPresent(o.dir, o.kind),
    })),
  );
  const file = path.join(runDir, RUN_FILE.report);
  await writeFile(file, renderRunReport(summary, scenarios));
  return file;
}
