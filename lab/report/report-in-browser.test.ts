import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioResult } from '../results/scenario-result.ts';
import { summaryOf } from '../results/testing/sample-summary.ts';
import { buildTimelines } from '../timeline/build-timeline.ts';
import { withNetworkEvents } from '../timeline/network-events.ts';
import { simulateDownload } from '../timeline/testing/simulate-download.ts';
import { TwoSidedCapture } from '../timeline/testing/two-sided-capture.ts';
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

  it(
    'marks late arrivals off the ramp and an outage as a shaded gap; no event label overlaps another or leaves the chart',
    { timeout: 60_000 },
    async () => {
      // Two halves 50 ms apart with a partition between them; every 50th datagram reaches the client 5 ms late.
      const c = new TwoSidedCapture()
        .fromClient(1, 'download|late.bin')
        .fromServer(2, '|200')
        .fromClient(3, 'udp|50123');
      for (let seq = 0; seq < 200; seq++)
        c.datagram(10 + seq * 0.2 + (seq >= 100 ? 50 : 0), seq, { lateMs: seq % 50 === 25 ? 5 : 0 });
      c.fromClient(120, 'stop').fromServer(121, 'User alice downloaded 100% out of file. Last byte is: 1');
      const [t] = buildTimelines(await c.input({ pausePercent: 100 }));
      withNetworkEvents(
        [t],
        [
          { tsUs: t.startUs + 32_000, what: 'partition: the router forwards nothing, either way', outage: 'begins' },
          { tsUs: t.startUs + 75_000, what: 'healed after 0.0 s: 0 packets dropped', outage: 'ends' },
          // A long label at the right edge: it must turn left rather than run off the chart.
          { tsUs: t.startUs + 118_000, what: 'router back: 6 rules and queues rebuilt; 124 packets dropped meanwhile' },
        ],
      );
      const result = scenarioResult('network', 1000, [t]);
      const dir = await mkdtemp(path.join(tmpdir(), 'report-browser-'));
      const file = path.join(dir, 'report.html');
      await writeFile(
        file,
        renderRunReport(summaryOf([result]), [{ result, timelines: [t], dir: 'network', files: [] }]),
      );

      await using report = await openReport(file);
      const LATE = '#e377c2';
      const [state] = await chartStates(report.page, [LATE]);
      expect(report.errors).toEqual([]);
      const late = state.legend.find((l) => l.series === 'late')!;
      expect([late.count, late.drawn]).toEqual([4, 4]);
      expect(late.label).toBe('arrived late, overtaken (received side) 4');
      expect(state.pixels[LATE], 'the late arrivals are seen').toBeGreaterThan(40);
      expect(state.outages).toBe(1);

      const figure = report.page.locator('#chart-0');
      const [left, top, right] = (await figure.evaluate((f) => f.dataset.plot!)).split(' ').map(Number);
      const [t0, t1] = state.view;
      // Inside the band, above the ramp: the shade, not the white of the plot.
      const x = left + ((0.05 - t0) / (t1 - t0)) * (right - left);
      const shade = await figure.evaluate(
        (f, [x, y]) => {
          const canvas = f.querySelector('canvas.sequence') as HTMLCanvasElement;
          return [...canvas.getContext('2d')!.getImageData(x * devicePixelRatio, y * devicePixelRatio, 1, 1).data];
        },
        [x, top + 8],
      );
      [250, 236, 236].forEach((v, i) => expect(Math.abs(shade[i] - v), `shade ${shade.join(', ')}`).toBeLessThan(4));

      const width = await figure.evaluate((f) => (f.querySelector('canvas.sequence') as HTMLElement).clientWidth);
      const labels = (await figure.evaluate((f) => f.dataset.labels!)).split(' ').map((l) => l.split(':').map(Number));
      expect(labels).toHaveLength(
        t.events.filter((e) => !['send', 'resend', 'request', 'download'].includes(e.kind)).length,
      );
      for (const [row, a, b] of labels) {
        expect(a).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(width);
        for (const [row2, a2, b2] of labels)
          if (row2 === row && a2 !== a) expect(b2 <= a || a2 >= b, `labels ${a}–${b} and ${a2}–${b2}`).toBe(true);
      }
      await figure.screenshot({ path: path.join(dir, 'network.png') });
    },
  );
});
