import type { DownloadTimeline } from '../timeline/index.ts';

/** "1.234 s": timeline times are seconds since the download started. */
export function at(t: number): string {
  return `${t.toFixed(3)} s`;
}

export function download(t: DownloadTimeline): string {
  return `the download of ${t.file} by ${t.client.ip}`;
}

export function seqList(seqs: Iterable<number>): string {
  const all = [...seqs].sort((a, b) => a - b);
  return all.length ? all.join(', ') : 'none';
}

export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/** Joins the first few problems into one message; the rest are counted, not listed. */
export function problems(items: string[], limit = 5): string {
  const shown = items.slice(0, limit).join('; ');
  return items.length > limit ? `${shown}; and ${items.length - limit} more` : shown;
}
