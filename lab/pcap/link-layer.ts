import { PcapLinkTypeError } from './errors.ts';

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;
export const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_VLAN = [0x8100, 0x88a8];

export interface LinkFrame {
  etherType: number;
  payload: Buffer;
}

/** Strips the link-layer header; null for frames too short to hold one. */
export function decodeLinkLayer(linkType: number, frame: Buffer): LinkFrame | null {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return decodeEthernet(frame);
    case LINKTYPE_LINUX_SLL:
      // 16 bytes: packet type, ARPHRD, address length, 8 address bytes, protocol.
      return frame.length < 16 ? null : { etherType: frame.readUInt16BE(14), payload: frame.subarray(16) };
    case LINKTYPE_LINUX_SLL2:
      // 20 bytes, protocol first: protocol, reserved, ifindex, ARPHRD, packet type, address length, 8 address bytes.
      return frame.length < 20 ? null : { etherType: frame.readUInt16BE(0), payload: frame.subarray(20) };
    default:
      throw new PcapLinkTypeError(linkType);
  }
}

function decodeEthernet(frame: Buffer): LinkFrame | null {
  let offset = 12;
  if (frame.length < offset + 2) return null;
  let etherType = frame.readUInt16BE(offset);
  // Docker bridges do not tag, but a capture on a trunk might.
  while (ETHERTYPE_VLAN.includes(etherType)) {
    offset += 4;
    if (frame.length < offset + 2) return null;
    etherType = frame.readUInt16BE(offset);
  }
  return { etherType, payload: frame.subarray(offset + 2) };
}
