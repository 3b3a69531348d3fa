/**
 * The sequence charts a scenario's folder holds, in timeline.json's order:
 * `timeline.svg` for the usual single download, `timeline-1.svg`, `timeline-2.svg`, … when there are several,
 * so that the name alone says whether a folder has one chart or more.
 */
export function chartFileNames(downloads: number): string[] {
  if (downloads === 1) return ['timeline.svg'];
  return Array.from({ length: downloads }, (_, i) => `timeline-${i + 1}.svg`);
}
