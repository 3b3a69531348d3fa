import { readCapture } from '../pcap/index.ts';
import { buildTimelines } from './build-timeline.ts';
import type { DownloadTimeline, TimelineInput } from './types.ts';

export interface PcapPair {
  /** pcap from the router interface facing the server. */
  sentPcap: string;
  /** pcap from the interface facing the clients, or the client's own. */
  receivedPcap: string;
  serverIp: string;
  pausePercent?: number;
  controlFrom?: TimelineInput['controlFrom'];
}

/** Reads both capture points and returns every download's timeline, plus the decoded captures for line checks. */
export async function timelinesFromPcaps(
  pair: PcapPair,
): Promise<{ timelines: DownloadTimeline[]; sent: TimelineInput['sent']; received: TimelineInput['received'] }> {
  const [sent, received] = await Promise.all([readCapture(pair.sentPcap), readCapture(pair.receivedPcap)]);
  const timelines = buildTimelines({
    sent,
    received,
    serverIp: pair.serverIp,
    pausePercent: pair.pausePercent,
    controlFrom: pair.controlFrom,
  });
  return { timelines, sent, received };
}
