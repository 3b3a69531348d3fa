/**
 * What a capture could not record, said beside the verdict (summary.json, junit.xml, report.html, the
 * console): a pcap that misses the end of what its interface saw must never pass for a whole one.
 */
export interface CaptureWarning {
  /** The capture file, relative to the run folder. */
  file: string;
  /**
   * `cut-short`: the capturing program was killed (with its host) or stopped mid-write, so the file ends early;
   * `kernel-drops`: the kernel dropped packets before tcpdump wrote them; `untimed`: pcapng packets without a time;
   * `link-types`: frames of a link type the decoder does not read were skipped; `unreadable`: not a capture at all.
   */
  kind: 'cut-short' | 'kernel-drops' | 'untimed' | 'link-types' | 'unreadable';
  /** A sentence with the numbers. */
  message: string;
}

/** What tcpdump told about a capture it made (an entry of captures.json). */
export interface TcpdumpOutcome {
  /** tcpdump's exit code: 0 after the SIGINT that ends a capture, 137 when it was killed, -1 when it never exited. */
  exitCode: number;
  droppedByKernel: number;
}

/** What reading the file showed. */
export interface PcapFacts {
  frames: number;
  /** Time of the last frame, µs since the epoch; null for an empty capture. */
  lastUs: number | null;
  truncatedTailBytes: number;
  untimedRecords: number;
  unsupportedLinkTypes?: readonly number[];
}

type Warning = Omit<CaptureWarning, 'file'>;

const SIGKILL_EXIT = 128 + 9;

/** Warnings from tcpdump's exit and counts, and from the file itself; `othersLastUs` is when the scenario's other captures end. */
export function captureWarnings(
  file: string,
  pcap: PcapFacts | null,
  tcpdump: TcpdumpOutcome | null,
  othersLastUs: number | null = null,
): CaptureWarning[] {
  const warnings: Warning[] = [];
  const cut = cutShort(pcap, tcpdump, othersLastUs);
  if (cut) warnings.push(cut);
  if (tcpdump && tcpdump.droppedByKernel > 0)
    warnings.push({
      kind: 'kernel-drops',
      message: `the kernel dropped ${tcpdump.droppedByKernel} packets before tcpdump wrote them: the capture has holes`,
    });
  if (pcap && pcap.untimedRecords > 0)
    warnings.push({
      kind: 'untimed',
      message: `${pcap.untimedRecords} packets carry no time of their own (pcapng simple packet blocks): they are given the time of the packet before them`,
    });
  if (pcap?.unsupportedLinkTypes?.length)
    warnings.push({
      kind: 'link-types',
      message: `packets of link types ${pcap.unsupportedLinkTypes.join(', ')} were skipped`,
    });
  return warnings.map((w) => ({ file, ...w }));
}

function cutShort(pcap: PcapFacts | null, tcpdump: TcpdumpOutcome | null, othersLastUs: number | null): Warning | null {
  const why: string[] = [];
  if (tcpdump && tcpdump.exitCode === SIGKILL_EXIT)
    why.push(`tcpdump was killed (exit ${tcpdump.exitCode}) with its host`);
  else if (tcpdump && tcpdump.exitCode === -1) why.push('tcpdump did not exit after it was told to stop');
  else if (tcpdump && tcpdump.exitCode !== 0) why.push(`tcpdump exited ${tcpdump.exitCode}`);
  if (pcap && pcap.truncatedTailBytes > 0)
    why.push(`the file ends in the middle of a packet (${pcap.truncatedTailBytes} bytes after the last whole one)`);
  if (why.length === 0) return null;
  const held = pcap ? [`it holds ${pcap.frames} frames`] : [];
  if (pcap?.lastUs != null && othersLastUs != null && othersLastUs > pcap.lastUs)
    held.push(`its last one ${((othersLastUs - pcap.lastUs) / 1e6).toFixed(3)} s before the other captures' last`);
  const tail = held.length ? `; ${held.join(', ')}` : '';
  return { kind: 'cut-short', message: `cut short: ${why.join(', and ')}, so it misses what came after${tail}` };
}

/** One line per warning, for the console and junit.xml. */
export function warningLine(w: CaptureWarning): string {
  return `capture warning: ${w.file}: ${w.message}`;
}
