import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioResult } from '../results/scenario-result.ts';
import { writeScenarioResults } from '../results/write-results.ts';
import { writeScenarioCharts } from './write-charts.ts';
import { buildTimelines } from '../timeline/build-timeline.ts';
import { simulateDownload } from '../timeline/testing/simulate-download.ts';
import { renderSequenceChart } from './sequence-chart.ts';

describe('the charts a scenario folder holds', () => {
  it('is timeline.svg for one download and timeline-<n>.svg in timeline.json order for several, none for none', async () => {
    const a = buildTimelines(
      await simulateDownload({ n: 6, pausePercent: 50, file: 'a.bin' }).input({ pausePercent: 50 }),
    );
    const b = buildTimelines(
      await simulateDownload({ n: 4, pausePercent: 50, file: 'b.bin' }).input({ pausePercent: 50 }),
    );
    const svgsIn = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.svg')).sort();
    const root = await mkdtemp(join(tmpdir(), 'charts-'));

    // lab/results writes data only: the pictures are drawn once, by lab/report.
    await writeScenarioResults(join(root, 'one'), scenarioResult('one', 1, a), a);
    expect(await svgsIn(join(root, 'one'))).toEqual([]);
    await writeScenarioCharts(join(root, 'one'), a);
    expect(await svgsIn(join(root, 'one'))).toEqual(['timeline.svg']);
    expect(await readFile(join(root, 'one', 'timeline.svg'), 'utf8')).toBe(renderSequenceChart(a[0]));

    await mkdir(join(root, 'two'));
    await writeScenarioCharts(join(root, 'two'), [...a, ...b]);
    expect(await svgsIn(join(root, 'two'))).toEqual(['timeline-1.svg', 'timeline-2.svg']);
    expect(await readFile(join(root, 'two', 'timeline-2.svg'), 'utf8')).toContain('b.bin by');

    await mkdir(join(root, 'none'));
    await writeScenarioCharts(join(root, 'none'), []);
    expect(await svgsIn(join(root, 'none'))).toEqual([]);
  });
});
