import { PcapFormatError } from './errors.ts';

/** Magic numbers as the first four bytes read big-endian. */
const MICROSECOND = [0xa1b2c3d4, 0xd4c3b2a1];
const NANOSECOND = [0xa1b23c4d, 0x4d3cb2a1];
const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;

/**
 * pcap-parser reads only classic microsecond pcap and reports anything else as
 * "unknown magic number"; check first so the user learns which tool option to change.
 */
export function checkPcapMagic(head: Uint8Array, source: string): void {
  if (head.length < 24)
    throw new PcapFormatError(`${source}: ${head.length} bytes is too short for a pcap file header (24 bytes)`);
  const magic = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false);
  if (MICROSECOND.includes(magic)) return;
  if (magic === PCAPNG_SECTION_HEADER) {
    throw new PcapFormatError(
      `${source} is pcapng, not classic pcap: write it with \`tcpdump -w\`, or \`-F pcap\` for tshark/dumpcap, or convert it with \`editcap -F pcap\``,
    );
  }
  if (NANOSECOND.includes(magic)) {
    throw new PcapFormatError(
      `${source} is a nanosecond-resolution pcap; only microsecond pcap is supported: capture with \`tcpdump --time-stamp-precision=micro\` or convert with \`editcap -F pcap\``,
    );
  }
  throw new PcapFormatError(`${source} is not a pcap file (magic 0x${magic.toString(16).padStart(8, '0')})`);
}
