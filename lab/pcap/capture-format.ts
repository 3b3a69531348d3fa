import { PcapFormatError } from './errors.ts';

/** What the first bytes of a capture file say it is. */
export type CaptureFormat =
  { kind: 'pcap'; littleEndian: boolean; nanosecond: boolean } | { kind: 'pcapng'; littleEndian: boolean };

const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const CLASSIC: Record<number, { nanosecond: boolean; littleEndian: boolean }> = {
  0xa1b2c3d4: { nanosecond: false, littleEndian: false },
  0xd4c3b2a1: { nanosecond: false, littleEndian: true },
  0xa1b23c4d: { nanosecond: true, littleEndian: false },
  0x4d3cb2a1: { nanosecond: true, littleEndian: true },
};

/** Classic pcap (tcpdump's `-w`, either resolution, either byte order) or pcapng (Wireshark's default). */
export function captureFormat(head: Uint8Array, source: string): CaptureFormat {
  if (head.length < 12)
    throw new PcapFormatError(`${source}: ${head.length} bytes is too short for a pcap or pcapng file header`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = view.getUint32(0, false);
  if (magic === PCAPNG_SECTION_HEADER) {
    const order = view.getUint32(8, false);
    if (order === PCAPNG_BYTE_ORDER) return { kind: 'pcapng', littleEndian: false };
    if (order === 0x4d3c2b1a) return { kind: 'pcapng', littleEndian: true };
    throw new PcapFormatError(`${source}: pcapng section header with an unknown byte-order magic 0x${hex(order)}`);
  }
  const classic = CLASSIC[magic];
  if (!classic) throw new PcapFormatError(`${source} is not a pcap or pcapng file (magic 0x${hex(magic)})`);
  if (head.length < 24)
    throw new PcapFormatError(`${source}: ${head.length} bytes is too short for a pcap file header`);
  return { kind: 'pcap', ...classic };
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
