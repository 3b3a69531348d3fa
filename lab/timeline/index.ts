export { buildTimelines } from './build-timeline.ts';
export type { DownloadTimeline, TimelineEvent, TimelineInput, SeqSummary } from './types.ts';
export { timelinesFromPcaps, type PcapPair } from './from-pcaps.ts';
export { renderTimelineText } from './render-text.ts';
