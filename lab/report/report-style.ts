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
table.results td.message { font-size: 13px; color: #7f1d1d; padding-top: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.verdict.pass { color: var(--ok); font-weight: 600; }
.verdict.fail { color: var(--fail); font-weight: 600; }
p.title { margin: 0 0 8px; color: var(--muted); }
figure { margin: 12px 0; }
figure svg { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
details { margin: 6px 0 12px; }
summary { cursor: pointer; color: var(--muted); }
ul.files { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
a { color: #1558b0; }
.muted { color: var(--muted); }
`;
