export interface Row {
  figure: string;
  value: string;
  ok?: boolean;
}

/** A plain-text table with a pass/fail column, readable in a terminal and pasteable into Markdown. */
export function formatTable(title: string, rows: readonly Row[]): string {
  const width = Math.max(...rows.map((r) => r.figure.length), 6);
  const valueWidth = Math.max(...rows.map((r) => r.value.length), 5);
  const line = (a: string, b: string, c: string) => `| ${a.padEnd(width)} | ${b.padEnd(valueWidth)} | ${c.padEnd(4)} |`;
  return [
    `\n### ${title}\n`,
    line('figure', 'value', 'ok'),
    `|${'-'.repeat(width + 2)}|${'-'.repeat(valueWidth + 2)}|------|`,
    ...rows.map((r) => line(r.figure, r.value, r.ok === undefined ? '' : r.ok ? 'yes' : 'NO')),
  ].join('\n');
}
