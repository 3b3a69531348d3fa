export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export interface Ipv4Packet {
  src: string;
  dst: string;
  protocol: number;
  id: number;
  /** Fragment offset in bytes. */
  fragmentOffset: number;
  moreFragments: boolean;
  payload: Buffer;
  /** The header's total length runs past the captured bytes: the snap length cut the packet. */
  cut: boolean;
}

/** Parses an IPv4 header; null for anything that is not a plausible IPv4 packet. */
export function decodeIpv4(buf: Buffer): Ipv4Packet | null {
  if (buf.length < 20 || buf[0] >> 4 !== 4) return null;
  const headerLength = (buf[0] & 0x0f) * 4;
  if (headerLength < 20 || buf.length < headerLength) return null;
  // Segmentation offload can record a total length of 0 for very large packets; trust the capture then.
  const totalLength = buf.readUInt16BE(2) || buf.length;
  if (totalLength < headerLength) return null;
  const flagsAndOffset = buf.readUInt16BE(6);
  return {
    src: formatIpv4(buf, 12),
    dst: formatIpv4(buf, 16),
    protocol: buf[9],
    id: buf.readUInt16BE(4),
    fragmentOffset: (flagsAndOffset & 0x1fff) * 8,
    moreFragments: (flagsAndOffset & 0x2000) !== 0,
    // Ethernet pads short frames to 60 bytes: the IP length, not the frame, says where the packet ends.
    payload: buf.subarray(headerLength, Math.min(totalLength, buf.length)),
    cut: totalLength > buf.length,
  };
}

export function isFragment(p: Ipv4Packet): boolean {
  return p.moreFragments || p.fragmentOffset > 0;
}

function formatIpv4(buf: Buffer, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}
