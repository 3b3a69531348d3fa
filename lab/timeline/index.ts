export { buildTimelines } from './build-timeline.ts';
export type { DownloadTimeline, TimelineEvent, TimelineInput } from './types.ts';
