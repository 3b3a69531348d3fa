import { stat } from 'node:fs/promises';
import { PcapTruncatedError, readCapture, type DecodedCapture } from '../pcap/index.ts';
import { buildTimelines } from './build-timeline.ts';
import type { DownloadTimeline, TimelineInput } from './types.ts';

export interface PcapPair {
  /** pcap from the router interface facing the server. */
  sentPcap: string;
  /** pcap from the interface facing the clients, or the client's own. */
  receivedPcap: string;
  /** pcaps on the client hosts themselves, for the arrival times at each client; missing files are skipped. */
  clientPcaps?: string[];
  serverIp: string;
  pausePercent?: number;
  controlFrom?: TimelineInput['controlFrom'];
}

/** A capture whose packets a snap length cut would be read as losses: refuse it, coded. */
function judgeable(c: DecodedCapture): DecodedCapture {
  if (c.stats.truncatedPackets > 0) throw new PcapTruncatedError(c.source, c.stats.truncatedPackets, c.snapLength);
  return c;
}

/** Reads the capture points and returns every download's timeline, plus the decoded captures for line checks. */
export async function timelinesFromPcaps(
  pair: PcapPair,
): Promise<{ timelines: DownloadTimeline[]; sent: TimelineInput['sent']; received: TimelineInput['received'] }> {
  const [sent, received] = (await Promise.all([readCapture(pair.sentPcap), readCapture(pair.receivedPcap)])).map(
    judgeable,
  );
  const present = await Promise.all(
    (pair.clientPcaps ?? []).map((p) =>
      stat(p).then(
        () => p,
        () => null,
      ),
    ),
  );
  const atClients = await Promise.all(present.filter((p) => p !== null).map((p) => readCapture(p)));
  const timelines = buildTimelines({
    sent,
    received,
    atClients,
    serverIp: pair.serverIp,
    pausePercent: pair.pausePercent,
    controlFrom: pair.controlFrom,
  });
  return { timelines, sent, received };
}
