import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DownloadTimeline } from '../timeline/index.ts';
import { renderTimelineText } from '../timeline/render-text.ts';
import { chartFileNames } from '../report/chart-file-names.ts';
import { renderSequenceChart } from '../report/sequence-chart.ts';
import { renderJUnit } from './junit.ts';
import { toReadableJson } from './readable-json.ts';
import type { RunSummary, ScenarioResult } from './types.ts';

/** A scenario's directory under the run: its name, made safe as a path segment. */
export function scenarioDir(runDir: string, name: string): string {
  return join(runDir, name.replace(/[^A-Za-z0-9._-]+/g, '-'));
}

/**
 * Writes timeline.json (every download the scenario captured), timeline.txt (the same, to read),
 * a sequence chart per download (timeline.svg, or timeline-1.svg, timeline-2.svg, … in timeline.json's order) and result.json.
 */
export async function writeScenarioResults(
  dir: string,
  result: ScenarioResult,
  timelines: DownloadTimeline[],
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'timeline.json'), toReadableJson({ downloads: timelines }));
  await writeFile(join(dir, 'result.json'), toReadableJson(result));
  if (timelines.length > 0) await writeFile(join(dir, 'timeline.txt'), timelines.map(renderTimelineText).join('\n'));
  const charts = chartFileNames(timelines.length);
  await Promise.all(timelines.map((t, i) => writeFile(join(dir, charts[i]), renderSequenceChart(t))));
}

/** Writes summary.json and junit.xml for the whole run. */
export async function writeRunSummary(runDir: string, summary: RunSummary): Promise<void> {
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, 'summary.json'), toReadableJson(summary));
  await writeFile(join(runDir, 'junit.xml'), renderJUnit(summary));
}
