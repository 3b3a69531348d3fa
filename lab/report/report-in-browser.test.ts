import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioResult } from '../results/scenario-result.ts';
import { summaryOf } from '../results/testing/sample-summary.ts';
import { buildTimelines } from '../timeline/build-timeline.ts';
import { simulateDownload } from '../timeline/testing/simulate-download.ts';
import { chartData, SERIES } from './chart-data.ts';
import { renderRunReport } from './run-report.ts';
import { chartStates, chromiumMissing, openReport } from './testing/browser.ts';
import { largeTimeline } from './testing/large-timeline.ts';

const missing = chromiumMissing();

describe.skipIf(missing !== null)(`report.html in headless Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it(
    'draws a 5-datagram and a 500,000-datagram download, every mark counted in its legend, zoomable',
    { timeout: 120_000 },
    async () => {
      const small = buildTimelines(
        await simulateDownload({ n: 5, pausePercent: 50, drops: { 1: 1, 3: 1 }, atPause: 'proceed' }).input({
          pausePercent: 50,
        }),
      );
      const large = largeTimeline(500_000, 10);
      const timelines = [...small, large];
      const result = scenarioResult('scale', 1000, timelines);
      const dir = await mkdtemp(path.join(tmpdir(), 'report-browser-'));
      const file = path.join(dir, 'report.html');
      await writeFile(file, renderRunReport(summaryOf([result]), [{ result, timelines, dir: 'scale', files: [] }]));

      await using report = await openReport(file);
      const states = await chartStates(report.page);
      expect(report.errors).toEqual([]);
      expect(states).toHaveLength(2);
      states.forEach((state, i) => {
        const data = chartData(timelines[i]);
        expect(state.inked, `${state.id} is drawn`).toBeGreaterThan(5000);
        // The legend counts what is drawn, and what is drawn is every mark of the timeline.
        expect(state.legend.map((l) => l.series).sort()).toEqual([...SERIES].sort());
        for (const l of state.legend) {
          expect(l.drawn, `${state.id} ${l.series}`).toBe(l.count);
          expect(l.count).toBe(data.series[l.series as (typeof SERIES)[number]].t.length);
          expect(l.label).toContain(String(l.count));
        }
      });
      const largeLegend = Object.fromEntries(states[1].legend.map((l) => [l.series, l.count]));
      expect(largeLegend).toMatchObject({ first: 450_000, firstDropped: 50_000, resend: 50_000, requested: 50_000 });

      // Zoom with the wheel: the visible time range narrows, and the legend says how much is in view.
      const chart = report.page.locator('#chart-1 canvas.sequence');
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.boundingBox())!;
      const before = states[1].view;
      // A quarter of the way in: the middle of the first part's ramp.
      await report.page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
      for (let i = 0; i < 5; i++) await report.page.mouse.wheel(0, -400);
      const span = async () => {
        const v = (await chartStates(report.page))[1].view;
        return v[1] - v[0];
      };
      await expect.poll(span, { timeout: 20_000 }).toBeLessThan((before[1] - before[0]) / 50);
      const drawnNow = (await chartStates(report.page))[1].legend.find((l) => l.series === 'first')!.drawn;
      expect(drawnNow).toBeGreaterThan(0);
      expect(drawnNow).toBeLessThan(450_000);
      await report.page.locator('#chart-1').screenshot({ path: path.join(dir, 'large-zoomed.png') });
      await chart.dblclick();
      await expect.poll(span, { timeout: 20_000 }).toBeCloseTo(before[1] - before[0], 3);

      // Hover a mark of the small chart: the tooltip names its seq, time, frame and capture file.
      const smallChart = report.page.locator('#chart-0 canvas.sequence');
      await smallChart.scrollIntoViewIfNeeded();
      const smallBox = (await smallChart.boundingBox())!;
      // Where the first mark of seq 0 is drawn, from the chart's own view and plot area.
      const [t0, t1, s0, s1] = (await chartStates(report.page))[0].view;
      const [left, top, right, bottom] = (await smallChart.evaluate((c) => c.closest('figure')!.dataset.plot!))
        .split(' ')
        .map(Number);
      const mark = chartData(small[0]).series.first;
      const x = left + ((mark.t[0] - t0) / (t1 - t0)) * (right - left);
      const y = bottom - ((mark.seq[0] - s0) / (s1 - s0)) * (bottom - top);
      await report.page.mouse.move(smallBox.x + x, smallBox.y + y);
      const tip = (await report.page.locator('#chart-0 .tip').textContent()) ?? '';
      expect(tip).toBe(`first transmission: seq 0, ${mark.t[0].toFixed(6)} s, frame ${mark.frame[0]} in sent.pcap`);
      await report.page.locator('#chart-0').screenshot({ path: path.join(dir, 'small.png') });
      await report.page.locator('#chart-1').screenshot({ path: path.join(dir, 'large.png') });
      console.log(`report and screenshots in ${dir}`);
    },
  );
});
