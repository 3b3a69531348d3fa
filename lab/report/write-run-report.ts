import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunSummary, ScenarioResult } from '../results/types.ts';
import type { DownloadTimeline } from '../timeline/types.ts';
import { renderRunReport } from './run-report.ts';

export interface ScenarioOutput {
  result: ScenarioResult;
  timelines: DownloadTimeline[];
  /** The scenario's folder (absolute, or relative to the working directory). */
  dir: string;
  title?: string;
}

// Evidence first in the order a reader wants it: the charts and story, then pcaps, then logs and rules.
const KIND_ORDER = ['.svg', '.txt', '.pcap', '.log', '.json', '.nft'];

/** Writes report.html into the run folder, linking each scenario's files as they are on disk; returns its path. */
export async function writeRunReport(runDir: string, summary: RunSummary, outputs: ScenarioOutput[]): Promise<string> {
  const scenarios = await Promise.all(
    outputs.map(async (o) => ({
      result: o.result,
      timelines: o.timelines,
      title: o.title,
      dir: path.relative(runDir, path.resolve(o.dir)).split(path.sep).join('/'),
      files: await filesIn(o.dir),
    })),
  );
  const file = path.join(runDir, 'report.html');
  await writeFile(file, renderRunReport(summary, scenarios));
  return file;
}

async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const rank = (name: string) => {
    const i = KIND_ORDER.indexOf(path.extname(name));
    return i < 0 ? KIND_ORDER.length : i;
  };
  return entries
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
