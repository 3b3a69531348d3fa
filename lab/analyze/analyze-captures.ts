import path from 'node:path';
import { PcapTruncatedError, readCapture, type DecodedCapture } from '../pcap/index.ts';
import { checkProtocolInvariants } from '../scenario/protocol-invariants.ts';
import { buildTimelines, type DownloadTimeline } from '../timeline/index.ts';
import { captureRoles } from './capture-roles.ts';
import { serverOf } from './server-of.ts';

export interface Analysis {
  captures: DecodedCapture[];
  serverIp: string;
  timelines: DownloadTimeline[];
  /** The first broken promise, as the lab's checks word it; undefined when every invariant holds. */
  broken: unknown;
  /** What the reader should know about the captures themselves (cut short, untimed packets). */
  notes: string[];
}

/** What the captures could not record, in words: a file cut short, packets without a time. */
export function captureNotes(c: DecodedCapture): string[] {
  const name = path.basename(c.source);
  const notes: string[] = [];
  if (c.stats.truncatedTailBytes > 0)
    notes.push(
      `${name} ends in the middle of a packet (${c.stats.truncatedTailBytes} bytes): the capturing program was stopped abruptly, so the capture may miss its last moments`,
    );
  if (c.stats.untimedRecords > 0)
    notes.push(`${name}: ${c.stats.untimedRecords} packets carry no time of their own (pcapng simple packet blocks)`);
  if (c.stats.unsupportedLinkTypes.length > 0)
    notes.push(`${name}: packets of link types ${c.stats.unsupportedLinkTypes.join(', ')} were skipped`);
  return notes;
}

/**
 * Reads captures of this protocol (pcap or pcapng, from one host or several), finds every control
 * connection and download, builds their timelines and holds them to the invariants every lab scenario
 * is held to. Packets cut by a snap length make the captures unjudgeable: that throws, coded.
 */
export async function analyzeCaptures(files: string[], opts: { pausePercent?: number } = {}): Promise<Analysis> {
  const captures = await Promise.all(files.map((f) => readCapture(f, path.basename(f))));
  for (const c of captures)
    if (c.stats.truncatedPackets > 0) throw new PcapTruncatedError(c.source, c.stats.truncatedPackets, c.snapLength);
  const serverIp = serverOf(captures);
  if (!serverIp)
    return { captures, serverIp: '', timelines: [], broken: undefined, notes: captures.flatMap(captureNotes) };
  const timelines = buildTimelines({ ...captureRoles(captures, serverIp), serverIp, pausePercent: opts.pausePercent });
  let broken: unknown;
  try {
    checkProtocolInvariants(timelines);
  } catch (err) {
    broken = err;
  }
  return { captures, serverIp, timelines, broken, notes: captures.flatMap(captureNotes) };
}
