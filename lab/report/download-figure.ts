import type { DownloadTimeline } from '../timeline/types.ts';
import { renderTimelineText } from '../timeline/render-text.ts';
import { chartData } from './chart-data.ts';
import { escapeMarkup as esc } from './escape-markup.ts';

/** JSON inside <script>: `<` escaped so that no file name or line can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * One download in the report: its interactive time–sequence chart and goodput plot (drawn by the inlined
 * browser code from the JSON beside them), its anomalies, a link to its static picture, and its story.
 */
export function downloadFigure(t: DownloadTimeline, opts: { index: number; of: number; svgHref: string }): string {
  const heading =
    opts.of > 1 ? `<h3>download ${opts.index + 1} of ${opts.of}: ${esc(t.file)} by ${esc(t.client.ip)}</h3>\n` : '';
  const c = t.counts;
  const caption = `${esc(t.file)} by ${esc(t.client.ip)} — <span class="outcome ${t.outcome}">${t.outcome}</span>: N = ${t.n}, pause H = ${t.h}, sent ${c.sent}, dropped ${c.dropped}, resent ${c.resent}, ${c.requests} resend request${c.requests === 1 ? '' : 's'}`;
  const anomalies = t.anomalies.length
    ? `<ul class="anomalies">${t.anomalies.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>\n`
    : '';
  return [
    heading,
    `<figure class="download-chart" id="chart-${opts.index}">`,
    `<figcaption>${caption}</figcaption>`,
    anomalies,
    '<ul class="legend"></ul>',
    '<div class="chart-area"><canvas class="sequence" role="img" aria-label="time–sequence graph"></canvas><div class="tip" hidden></div></div>',
    '<canvas class="goodput" role="img" aria-label="goodput over time"></canvas>',
    `<p class="hint">Drag to zoom, shift-drag to pan, wheel to zoom time, double-click or <button type="button" class="reset">reset</button>; hover a mark for its seq, time and frame. Static picture for slides: <a href="${esc(opts.svgHref)}">${esc(opts.svgHref.split('/').pop() ?? '')}</a></p>`,
    `<script type="application/json">${scriptJson(chartData(t))}</script>`,
    '</figure>',
    `<details><summary>timeline.txt${opts.of > 1 ? ` (download ${opts.index + 1})` : ''}</summary>\n<pre>${esc(renderTimelineText(t))}</pre>\n</details>`,
  ]
    .filter((l) => l !== '')
    .join('\n');
}
