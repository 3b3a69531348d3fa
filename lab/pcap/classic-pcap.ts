import type { CaptureFormat } from './capture-format.ts';
import { PcapFormatError } from './errors.ts';
import type { RawCapture } from './raw-capture.ts';

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
// Far above any link's frame (and any snap length tcpdump accepts): a larger length means a garbled file.
const MAX_RECORD = 256 * 1024 * 1024;

/** Reads classic pcap: a 24-byte global header, then records of a 16-byte header and the frame. */
export function parseClassicPcap(
  buf: Buffer,
  source: string,
  format: Extract<CaptureFormat, { kind: 'pcap' }>,
): RawCapture {
  const le = format.littleEndian;
  const u32 = (at: number) => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const linkType = u32(20) & 0xffff;
  const snapLength = u32(16);
  const capture: RawCapture = {
    source,
    format: 'pcap',
    linkType,
    snapLength,
    interfaces: [{ linkType, snapLength, name: null }],
    records: [],
    truncatedTailBytes: 0,
    truncatedRecords: 0,
    untimedRecords: 0,
  };
  const fraction = format.nanosecond ? 1000 : 1;
  let at = GLOBAL_HEADER;
  while (at < buf.length) {
    if (buf.length - at < RECORD_HEADER) break;
    const capturedLength = u32(at + 8);
    const originalLength = u32(at + 12);
    if (capturedLength > MAX_RECORD)
      throw new PcapFormatError(
        `${source}: record ${capture.records.length + 1} at byte ${at} claims ${capturedLength} bytes: the file is garbled`,
      );
    if (buf.length - at - RECORD_HEADER < capturedLength) break;
    const data = buf.subarray(at + RECORD_HEADER, at + RECORD_HEADER + capturedLength);
    if (capturedLength < originalLength) capture.truncatedRecords++;
    capture.records.push({
      frame: capture.records.length + 1,
      tsUs: u32(at) * 1_000_000 + Math.floor(u32(at + 4) / fraction),
      data,
      originalLength,
      linkType,
      interfaceId: 0,
    });
    at += RECORD_HEADER + capturedLength;
  }
  capture.truncatedTailBytes = buf.length - at;
  return capture;
}
