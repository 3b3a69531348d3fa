import { warningLine } from './capture-warnings.ts';
import type { ScenarioResult } from './types.ts';

export interface TableOptions {
  /** Colour the result column; default only when stdout is a terminal and NO_COLOR is unset. */
  color?: boolean;
}

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export function shouldColor(stream: { isTTY?: boolean } = process.stdout): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** The end-of-run table: scenario, result, time, datagrams sent, dropped, resent; then each failure and capture warning. */
export function renderTable(scenarios: ScenarioResult[], options: TableOptions = {}): string {
  const color = options.color ?? shouldColor();
  const header = ['scenario', 'result', 'time', 'sent', 'dropped', 'resent'];
  const rows = scenarios.map((s) => [
    s.name,
    s.passed ? 'PASS' : 'FAIL',
    `${(s.durationMs / 1000).toFixed(1)} s`,
    String(s.datagrams.sent),
    String(s.datagrams.dropped),
    String(s.datagrams.resent),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // Numbers right-aligned so that columns of counts compare at a glance.
  const cell = (v: string, i: number) => (i >= 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]));
  const paint = (v: string, i: number, passed: boolean) =>
    color && i === 1 ? `${passed ? GREEN : RED}${v}${RESET}` : v;
  const line = (r: string[], passed = true) =>
    r
      .map((v, i) => paint(cell(v, i), i, passed))
      .join('  ')
      .trimEnd();
  const failed = scenarios.filter((s) => !s.passed);
  const total = scenarios.reduce((n, s) => n + s.durationMs, 0);
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r, i) => line(r, scenarios[i].passed)),
    '',
    `${scenarios.length - failed.length} passed, ${failed.length} failed, ${(total / 1000).toFixed(1)} s`,
    ...failed.map((s) => `${paint('FAIL', 1, false)} ${s.name}: ${s.failure?.message ?? 'failed'}`),
    ...scenarios.flatMap((s) => (s.captureWarnings ?? []).map(warningLine)),
    '',
  ].join('\n');
}
