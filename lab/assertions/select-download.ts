import type { DownloadTimeline } from '../timeline/index.ts';
import { ExpectationFailed } from './expectation-failed.ts';

export interface DownloadFilter {
  client?: string;
  file?: string;
  /** Which of several matching downloads, in start order; without it more than one is an error. */
  nth?: number;
}

/** The one download a scenario means, or a failure listing what the captures hold. */
export function downloadOf(timelines: DownloadTimeline[], filter: DownloadFilter = {}): DownloadTimeline {
  const matching = timelines.filter(
    (t) =>
      (filter.client === undefined || t.client.ip === filter.client) &&
      (filter.file === undefined || t.file === filter.file),
  );
  const what = `${filter.file ? ` of ${filter.file}` : ''}${filter.client ? ` by ${filter.client}` : ''}`;
  const seen = timelines.map((t) => `${t.file} by ${t.client.ip} (${t.outcome})`).join(', ') || 'none';
  const pick = filter.nth !== undefined ? matching[filter.nth] : matching.length === 1 ? matching[0] : undefined;
  if (pick) return pick;
  if (matching.length > 1 && filter.nth === undefined) {
    throw new ExpectationFailed(
      'downloadOf',
      `${matching.length} downloads${what} were captured; pass nth to choose one. Downloads seen: ${seen}`,
    );
  }
  throw new ExpectationFailed(
    'downloadOf',
    `the captures hold no download${what}${filter.nth !== undefined ? ` number ${filter.nth} (counting from 0)` : ''}. Downloads seen: ${seen}`,
  );
}
