import type { CaptureWarning } from '../results/capture-warnings.ts';
import { chartFiles } from '../results/run-folder.ts';
import type { RunSummary, ScenarioResult } from '../results/types.ts';
import type { DownloadTimeline } from '../timeline/types.ts';
import { escapeMarkup as esc } from './escape-markup.ts';
import { REPORT_CSS } from './report-style.ts';
import { browserScript } from './browser-script.ts';
import { downloadFigure } from './download-figure.ts';

export interface ReportScenario {
  result: ScenarioResult;
  timelines: DownloadTimeline[];
  /** The scenario's folder, relative to the run folder (where report.html is). */
  dir: string;
  /** The scenario's one-line story, when the caller knows it. */
  title?: string;
  /** The files in that folder to link, relative to it (see lab/results/run-folder.ts). */
  files: string[];
}

/**
 * The whole run on one page: what ran where, the verdicts, and per scenario each download's
 * interactive charts, its story and links to the evidence. One file, everything inline (style, data and the
 * charts' code), nothing fetched: it works opened from disk, attached to a CI run or mailed.
 */
export function renderRunReport(summary: RunSummary, scenarios: ReportScenario[]): string {
  const failed = summary.scenarios.filter((s) => !s.passed);
  const verdict = summary.passed ? 'all passed' : `${failed.length} of ${summary.scenarios.length} failed`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`lab run ${summary.runId}: ${verdict}`)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>Lab run ${esc(summary.runId)} ${badge(summary.passed)}</h1>`,
    runFacts(summary, failed),
    resultsTable(scenarios),
    ...scenarios.map(scenarioSection),
    scenarios.some((s) => s.timelines.length > 0) ? `<script type="module">${browserScript()}</script>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function runFacts(summary: RunSummary, failed: ScenarioResult[]): string {
  const m = summary.machine;
  const seed = String(summary.seed ?? '');
  const replay =
    summary.seed === null
      ? ''
      : `npm run lab -- --seed ${seed}${failed.length > 0 ? ` ${failed.map((s) => s.name).join(' ')}` : ''}`;
  const facts: [string, string][] = [
    ['date', esc(summary.date)],
    ['duration', `${(summary.durationMs / 1000).toFixed(1)} s`],
    [
      'seed',
      summary.seed === null
        ? '<span class="muted">none</span>'
        : `${esc(seed)} — replay the same losses with <code>${esc(replay)}</code>`,
    ],
    [
      'machine',
      esc(`${m.hostname}: ${m.platform} ${m.release} ${m.arch}, ${m.cpus} CPUs, ${m.memoryGiB} GiB, Node ${m.node}`),
    ],
    ['loss applied by', esc(summary.impairment.mechanism)],
  ];
  return `<dl class="facts">\n${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('\n')}\n</dl>`;
}

function resultsTable(scenarios: ReportScenario[]): string {
  const rows = scenarios.map(({ result: r, dir }) => {
    const cells = [
      `<td><a href="#${anchor(dir)}">${esc(r.name)}</a></td>`,
      `<td class="verdict ${r.passed ? 'pass' : 'fail'}">${r.passed ? 'PASS' : 'FAIL'}</td>`,
      `<td class="num">${(r.durationMs / 1000).toFixed(1)} s</td>`,
      `<td class="num">${r.datagrams.sent}</td>`,
      `<td class="num">${r.datagrams.dropped}</td>`,
      `<td class="num">${r.datagrams.resent}</td>`,
    ];
    const row = `<tr class="${r.passed ? 'pass' : 'fail'}">${cells.join('')}</tr>`;
    const failure = r.passed
      ? []
      : [`<tr class="fail"><td></td><td colspan="5" class="message">${esc(failureText(r))}</td></tr>`];
    const warnings = (r.captureWarnings ?? []).map(
      (w) => `<tr class="warn"><td></td><td colspan="5" class="message">${esc(warningText(w, ''))}</td></tr>`,
    );
    return [row, ...failure, ...warnings].join('\n');
  });
  const head =
    '<tr><th>scenario</th><th>result</th><th class="num">time</th><th class="num">sent</th><th class="num">dropped</th><th class="num">resent</th></tr>';
  return `<table class="results">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function scenarioSection(s: ReportScenario): string {
  const r = s.result;
  const charts = chartFiles(s.timelines.length);
  const files = [...charts, ...s.files.filter((f) => !charts.includes(f))];
  const downloads = s.timelines.map((t, i) =>
    downloadFigure(t, { index: i, of: s.timelines.length, svgHref: href(s.dir, charts[i]) }),
  );
  return [
    `<section id="${anchor(s.dir)}">`,
    `<h2>${esc(r.name)} ${badge(r.passed)}</h2>`,
    s.title ? `<p class="title">${esc(s.title)}</p>` : '',
    `<p><span class="verdict ${r.passed ? 'pass' : 'fail'}">${r.passed ? 'passed' : 'FAILED'}</span> in ${(r.durationMs / 1000).toFixed(1)} s; datagrams sent ${r.datagrams.sent}, dropped ${r.datagrams.dropped}, resent ${r.datagrams.resent}</p>`,
    r.passed ? '' : `<pre class="failure">${esc(failureText(r))}</pre>`,
    captureWarnings(r.captureWarnings ?? [], s.dir),
    downloads.length > 0 ? downloads.join('\n') : '<p class="muted">No download in this scenario.</p>',
    `<ul class="files">${files.map((f) => fileItem(s.dir, f, r.captureWarnings ?? [])).join('')}</ul>`,
    '</section>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** A capture that misses part of the story, said above the charts it would otherwise pass for whole in. */
function captureWarnings(warnings: readonly CaptureWarning[], dir: string): string {
  if (warnings.length === 0) return '';
  const items = warnings.map((w) => `<li>${esc(warningText(w, dir))}</li>`).join('');
  return `<ul class="capture-warnings">${items}</ul>`;
}

/** The warning, its file named relative to `dir` (the scenario's folder, or '' for the run folder). */
function warningText(w: CaptureWarning, dir: string): string {
  const file = dir && w.file.startsWith(`${dir}/`) ? w.file.slice(dir.length + 1) : w.file;
  return `⚠ ${file}: ${w.message}`;
}

/** A file's link; a capture with a warning says so beside it. */
function fileItem(dir: string, file: string, warnings: readonly CaptureWarning[]): string {
  const kinds = [...new Set(warnings.filter((w) => w.file === `${dir}/${file}`).map((w) => w.kind))];
  const flag = kinds.length
    ? ` <span class="flag" title="see the warning above">⚠ ${esc(kinds.join(', '))}</span>`
    : '';
  return `<li><a href="${esc(href(dir, file))}">${esc(file)}</a>${flag}</li>`;
}

function failureText(r: ScenarioResult): string {
  const f = r.failure;
  if (!f) return 'failed';
  const label = [f.code, f.expectation].filter(Boolean).join(', ');
  return label ? `${f.message} (${label})` : f.message;
}

function badge(passed: boolean): string {
  return `<span class="badge ${passed ? 'pass' : 'fail'}">${passed ? 'PASS' : 'FAIL'}</span>`;
}

/** A relative link that survives spaces, `#` and `?` in names, whatever the browser. */
function href(dir: string, file: string): string {
  return [...dir.split('/'), ...file.split('/')]
    .filter((p) => p !== '' && p !== '.')
    .map(encodeURIComponent)
    .join('/');
}

function anchor(dir: string): string {
  return `scenario-${dir.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}
