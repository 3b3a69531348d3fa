import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DownloadTimeline } from '../timeline/index.ts';
import { renderTimelineText } from '../timeline/render-text.ts';
import { renderJUnit } from './junit.ts';
import { toReadableJson } from './readable-json.ts';
import { RUN_FILE, SCENARIO_FILE } from './run-folder.ts';
import type { RunSummary, ScenarioResult } from './types.ts';

/**
 * Writes timeline.json (every download the scenario captured), timeline.txt (the same, to read) and result.json:
 * data only. The pictures are lab/report's (writeScenarioCharts).
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
}

/** Writes summary.json and junit.xml for the whole run. */
export async function writeRunSummary(runDir: string, summary: RunSummary): Promise<void> {
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, RUN_FILE.summary), toReadableJson(summary));
  await writeFile(join(runDir, RUN_FILE.junit), renderJUnit(summary));
}
