import path from 'node:path';
import { PcapTruncatedError, readCapture, type DecodedCapture } from '../pcap/index.ts';
import { captureWarnings, type CaptureWarning } from '../results/capture-warnings.ts';
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
  /** What the captures themselves could not record (cut short, untimed packets), each file by its base name. */
  warnings: CaptureWarning[];
}

/** What the captures could not record, as a lab run says it: a file cut short, packets without a time. */
function warningsOf(captures: DecodedCapture[]): CaptureWarning[] {
  const lastOf = (c: DecodedCapture) => c.packets.at(-1)?.tsUs ?? null;
  return captures.flatMap((c) => {
    const others = captures.filter((o) => o !== c).map(lastOf);
    const othersLast = others.reduce<number | null>((m, t) => (t === null ? m : Math.max(m ?? t, t)), null);
    const facts = { ...c.stats, frames: c.stats.records, lastUs: lastOf(c) };
    return captureWarnings(path.basename(c.source), facts, null, othersLast);
  });
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
  if (!serverIp) return { captures, serverIp: '', timelines: [], broken: undefined, warnings: warningsOf(captures) };
  const timelines = buildTimelines({ ...captureRoles(captures, serverIp), serverIp, pausePercent: opts.pausePercent });
  let broken: unknown;
  try {
    checkProtocolInvariants(timelines);
  } catch (err) {
    broken = err;
  }
  return { captures, serverIp, timelines, broken, warnings: warningsOf(captures) };
}
