import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why a report cannot be opened in a real browser here, or null when it can. */
export function chromiumMissing(): string | null {
  const probe = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? `${CHROMIUM} is not installed (apt-get install -y chromium)` : null;
}

export interface OpenedReport {
  page: Page;
  /** Console errors and uncaught exceptions, as the page reported them. */
  errors: string[];
  [Symbol.asyncDispose](): Promise<void>;
}

/** Opens a report.html from disk in headless Chromium with a fresh profile; dispose to close it all. */
export async function openReport(file: string, viewport = { width: 1100, height: 900 }): Promise<OpenedReport> {
  const profile = await mkdtemp(path.join(tmpdir(), 'report-chromium-'));
  // A fresh profile each time (playwright passes it as --user-data-dir), removed on dispose.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const close = async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  };
  const errors: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    // Nothing may leave the machine: the report is one offline file.
    await page.route(/^(?!file:)/, (route) => {
      errors.push(`the page asked for ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, errors, [Symbol.asyncDispose]: close };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface ChartState {
  id: string;
  view: number[];
  legend: { series: string; count: number; drawn: number; label: string }[];
  /** Pixels of the chart canvas that are not background white. */
  inked: number;
  /** Pixels of each asked-for colour (`#rrggbb`, within a small distance: anti-aliasing), as the reader sees them. */
  pixels: Record<string, number>;
  /** Outages shaded on the chart (figure.dataset.outages). */
  outages: number;
}

/** What each chart on the page shows: its visible range, its legend and how much it drew. */
export async function chartStates(page: Page, colours: readonly string[] = []): Promise<ChartState[]> {
  return page.$$eval(
    'figure.download-chart',
    (figures, colours) =>
      figures.map((f) => {
        const canvas = f.querySelector('canvas.sequence') as HTMLCanvasElement;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const rgb = colours.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
        const counts = colours.map(() => 0);
        let inked = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          if (pixels[i] < 250 || pixels[i + 1] < 250 || pixels[i + 2] < 250) inked++;
          rgb.forEach(([r, g, b], k) => {
            if (Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 40) counts[k]++;
          });
        }
        return {
          id: f.id,
          view: (f.getAttribute('data-view') ?? '').split(' ').map(Number),
          legend: [...f.querySelectorAll('ul.legend li')].map((li) => ({
            series: li.getAttribute('data-series') ?? '',
            count: Number(li.getAttribute('data-count')),
            drawn: Number(li.getAttribute('data-drawn')),
            label: li.textContent ?? '',
          })),
          inked,
          pixels: Object.fromEntries(colours.map((c, k) => [c, counts[k]])),
          outages: Number(f.getAttribute('data-outages') ?? 0),
        };
      }),
    colours,
  );
}
