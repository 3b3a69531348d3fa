import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chartFiles } from '../results/run-folder.ts';
import type { DownloadTimeline } from '../timeline/types.ts';
import { renderSequenceChart } from './sequence-chart.ts';

/** Writes each download's static time–sequence picture into the scenario's folder: the one place SVG is drawn. */
export async function writeScenarioCharts(dir: string, timelines: DownloadTimeline[]): Promise<void> {
  const names = chartFiles(timelines.length);
  await Promise.all(timelines.map((t, i) => writeFile(path.join(dir, names[i]), renderSequenceChart(t))));
}
