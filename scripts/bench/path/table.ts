import type { RowResult } from './path-row.ts';

/** One table per row: every peer's goodput, share of the limit, resends and time, and this project against TCP. */
export function formatRow(row: RowResult): string {
  const head = `${row.rateMbit} Mbit/s, ${row.lossPercent} % loss, MTU ${row.mtu}, ${(row.sizeBytes / 2 ** 20).toFixed(0)} MiB — limit ${row.limitMbit.toFixed(1)} Mbit/s (TCP: ${row.tcpCongestionControl})`;
  const cells = row.peers.map((p) => [
    p.label,
    p.error ? '—' : p.goodputMbit!.toFixed(1),
    p.error ? '—' : `${p.percentOfLimit!.toFixed(0)} %`,
    p.resent === undefined ? '' : String(p.resent ?? '?'),
    p.error ? p.error : `${(p.ms! / 1000).toFixed(2)} s`,
  ]);
  const header = ['peer', 'Mbit/s', 'of limit', 'resent', 'time'];
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
