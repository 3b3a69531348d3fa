/** The report's whole stylesheet, inline so that report.html opened from disk or mailed looks the same. */
export const REPORT_CSS = `
:root { --ok: #1e7d32; --fail: #c62828; --muted: #5c5c5c; --line: #e2e2e2; --bg-fail: #fdecea; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 980px; padding: 24px 20px 64px; font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; color: #1a1a1a; background: #fff; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 18px; margin: 40px 0 4px; padding-top: 12px; border-top: 1px solid var(--line); }
h3 { font-size: 14px; margin: 20px 0 6px; }
code, pre { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 12.5px; }
pre { background: #f6f6f6; border: 1px solid var(--line); border-radius: 4px; padding: 10px 12px; overflow-x: auto; white-space: pre; }
pre.failure { background: var(--bg-fail); border-color: #f3c1bd; white-space: pre-wrap; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 20px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; vertical-align: middle; }
.badge.pass { background: var(--ok); }
.badge.fail { background: var(--fail); }
table.results { border-collapse: collapse; width: 100%; margin: 8px 0; }
table.results th, table.results td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; }
table.results th { font-weight: 600; color: var(--muted); border-bottom-width: 2px; }
table.results td.num, table.results th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.results tr.fail td { background: var(--bg-fail); }
table.results tr.fail td:first-child { box-shadow: inset 3px 0 0 var(--fail); }
table.results tr.warn td.message { color: #7a4a00; }
table.results td.message { font-size: 13px; color: #7f1d1d; padding-top: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.verdict.pass { color: var(--ok); font-weight: 600; }
.verdict.fail { color: var(--fail); font-weight: 600; }
p.title { margin: 0 0 8px; color: var(--muted); }
figure { margin: 12px 0; }
figure.download-chart { border: 1px solid var(--line); border-radius: 4px; padding: 8px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.outcome.completed { color: var(--ok); } .outcome.stopped { color: #a15c00; } .outcome.unfinished { color: var(--fail); }
ul.legend { list-style: none; padding: 0; margin: 4px 0 6px; display: flex; flex-wrap: wrap; gap: 4px 6px; }
ul.legend button { font: inherit; font-size: 12.5px; border: 1px solid var(--line); background: #fff; border-radius: 12px; padding: 1px 9px; cursor: pointer; }
ul.legend button[aria-pressed="false"] { opacity: 0.4; text-decoration: line-through; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 5px; vertical-align: -1px; background: var(--c); }
.swatch.dot { border-radius: 50%; } .swatch.ring { background: none; border: 2px solid var(--c); border-radius: 50%; } .swatch.dash { height: 2px; vertical-align: 3px; } .swatch.drop { height: 2px; vertical-align: 3px; width: 12px; }
.chart-area { position: relative; }
canvas { display: block; max-width: 100%; }
canvas.sequence { cursor: crosshair; }
.tip { position: absolute; background: #1a1a1a; color: #fff; font-size: 12px; padding: 3px 7px; border-radius: 3px; pointer-events: none; white-space: nowrap; }
p.hint { font-size: 12px; color: var(--muted); margin: 4px 0 0; }
ul.capture-warnings { color: #7a4a00; background: #fff4e0; margin: 4px 0; padding: 4px 8px 4px 24px; font-size: 13px; }
.flag { color: #a15c00; font-size: 12px; }
ul.anomalies { color: #7f1d1d; background: var(--bg-fail); margin: 4px 0; padding: 4px 8px 4px 24px; font-size: 13px; }
details { margin: 6px 0 12px; }
summary { cursor: pointer; color: var(--muted); }
ul.files { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
a { color: #1558b0; }
.muted { color: var(--muted); }
`;
