import type { RowResult } from './path-row.ts';
import type { ShareResult } from './share-row.ts';

/** One table per row: every peer's goodput, share of the limit, resends and time, and this project against TCP. */
export function formatRow(row: RowResult): string {
  const head = `${row.rateMbit} Mbit/s, ${row.lossPercent} % loss, MTU ${row.mtu}, ${(row.sizeBytes / 2 ** 20).toFixed(0)} MiB — limit ${row.limitMbit.toFixed(1)} Mbit/s (TCP: ${row.tcpCongestionControl})`;
  const cells = row.peers.map((p) => [
    p.label,
    p.error ? '—' : p.goodputMbit!.toFixed(1),
    p.error ? '—' : `${p.percentOfLimit!.toFixed(0)} %`,
    p.resent === undefined ? '' : String(p.resent ?? '?'),
    p.error ? p.error : `${(p.ms! / 1000).toFixed(2)} s`,
    p.runsMbit ? `${Math.min(...p.runsMbit).toFixed(1)}–${Math.max(...p.runsMbit).toFixed(1)}` : '',
  ]);
  const header = ['peer', 'Mbit/s', 'of limit', 'resent', 'time', row.peers.some((p) => p.runsMbit) ? 'runs' : ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  const project = row.peers.find((p) => p.peer === 'project');
  const tcp = row.peers.find((p) => p.peer === 'tcp');
  const ratio =
    project?.goodputMbit && tcp?.goodputMbit
      ? `this project / TCP: ${(project.goodputMbit / tcp.goodputMbit).toFixed(2)}`
      : 'this project / TCP: —';
  return [head, line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), ratio].join('\n');
}

const SHARE_TITLES = {
  'two-downloads': 'two downloads sharing the bottleneck',
  'tcp-and-download': 'a TCP transfer and a download sharing the bottleneck',
  chat: 'chat while four downloads fill the path',
} as const;

/** A share row: what each flow got while all ran, and the verdicts the issue asks for. */
export function formatShare(row: ShareResult): string {
  const lines = [`${row.rateMbit} Mbit/s — ${SHARE_TITLES[row.kind]} (${row.overlapSeconds.toFixed(1)} s together)`];
  for (const f of row.flows) {
    lines.push(
      `  ${f.label.padEnd(12)} ${f.mbit.toFixed(1).padStart(6)} Mbit/s  (${((100 * f.mbit) / row.rateMbit).toFixed(0)} % of the link)`,
    );
  }
  if (row.jain !== undefined) lines.push(`  Jain's fairness index: ${row.jain.toFixed(3)}`);
  if (row.chat) {
    const c = row.chat;
    lines.push(
      `  chat round trip: median ${c.p50Ms.toFixed(1)} ms, p99 ${c.p99Ms.toFixed(1)} ms over ${c.messages} messages (${c.unanswered} unanswered)`,
    );
  }
  return lines.join('\n');
}
