import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DownloadTimeline } from '../timeline/index.ts';
import { renderTimelineText } from '../timeline/render-text.ts';
import { renderSequenceChart } from '../report/sequence-chart.ts';
import { renderJUnit } from './junit.ts';
import { toReadableJson } from './readable-json.ts';
import { chartFiles, RUN_FILE, SCENARIO_FILE } from './run-folder.ts';
import type { RunSummary, ScenarioResult } from './types.ts';

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
  await writeFile(join(dir, SCENARIO_FILE.timeline), toReadableJson({ downloads: timelines }));
  await writeFile(join(dir, SCENARIO_FILE.result), toReadableJson(result));
  if (timelines.length > 0)
    await writeFile(join(dir, SCENARIO_FILE.timelineText), timelines.map(renderTimelineText).join('\n'));
  const charts = chartFiles(timelines.length);
  await Promise.all(timelines.map((t, i) => writeFile(join(dir, charts[i]), renderSequenceChart(t))));
}

/** Writes summary.json and junit.xml for the whole run. */
export async function writeRunSummary(runDir: string, summary: RunSummary): Promise<void> {
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, RUN_FILE.summary), toReadableJson(summary));
  await writeFile(join(runDir, RUN_FILE.junit), renderJUnit(summary));
}
