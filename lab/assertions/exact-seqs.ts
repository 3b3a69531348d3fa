import type { DownloadTimeline } from '../timeline/index.ts';
import { at, download, problems, seqList, times } from './describe.ts';
import { ExpectationFailed } from './expectation-failed.ts';

/** The set of seqs the client asked for is exactly `seqs`; with `count`, each was asked for that often. */
export function requestedExactly(t: DownloadTimeline, seqs: number[], count?: number): Map<number, number[]> {
  const seen = new Map<number, number[]>();
  for (const r of t.requests) for (const s of r.seqs) seen.set(s, [...(seen.get(s) ?? []), r.t]);
  compare('requestedExactly', t, seqs, count, seen, 'requested');
  return seen;
}

/** The set of resent seqs is exactly `seqs`, each resent `count` times (default once). */
export function resentExactly(t: DownloadTimeline, seqs: number[], count = 1): Map<number, number[]> {
  const seen = new Map<number, number[]>();
  for (const e of t.events) if (e.kind === 'resend') seen.set(e.seq, [...(seen.get(e.seq) ?? []), e.t]);
  compare('resentExactly', t, seqs, count, seen, 'resent');
  return seen;
}

function compare(
  name: string,
  t: DownloadTimeline,
  seqs: number[],
  count: number | undefined,
  seen: Map<number, number[]>,
  verb: string,
): void {
  const expected = new Set(seqs);
  const broken: string[] = [];
  for (const s of [...expected].sort((a, b) => a - b)) {
    const when = seen.get(s) ?? [];
    if (when.length === 0) broken.push(`seq ${s} was never ${verb}`);
    else if (count !== undefined && when.length !== count)
      broken.push(`seq ${s} was ${verb} ${times(when.length)} (at ${when.map(at).join(', ')}), not ${times(count)}`);
  }
  for (const [s, when] of [...seen].sort((a, b) => a[0] - b[0])) {
    if (!expected.has(s)) broken.push(`seq ${s} was ${verb} at ${when.map(at).join(', ')} but not expected`);
  }
  if (broken.length) {
    const wanted = `exactly seqs ${seqList(expected)}${count === undefined ? '' : `, each ${times(count)}`}`;
    throw new ExpectationFailed(name, `in ${download(t)}, expected ${wanted} to be ${verb}: ${problems(broken)}`);
  }
}
