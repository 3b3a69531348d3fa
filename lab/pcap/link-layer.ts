const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LOOP = 108;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_LINUX_SLL2 = 276;
export const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_VLAN = [0x8100, 0x88a8];
const AF_INET = 2;

export interface LinkFrame {
  etherType: number;
  payload: Buffer;
}

const DECODERS: Record<number, (frame: Buffer) => LinkFrame | null> = {
  [LINKTYPE_ETHERNET]: decodeEthernet,
  // 16 bytes: packet type, ARPHRD, address length, 8 address bytes, protocol.
  [LINKTYPE_LINUX_SLL]: (f) => (f.length < 16 ? null : { etherType: f.readUInt16BE(14), payload: f.subarray(16) }),
  // 20 bytes, protocol first: protocol, reserved, ifindex, ARPHRD, packet type, address length, 8 address bytes.
  [LINKTYPE_LINUX_SLL2]: (f) => (f.length < 20 ? null : { etherType: f.readUInt16BE(0), payload: f.subarray(20) }),
  // macOS and BSD loopback (Wireshark on lo0): a 4-byte address family, in the capturing host's byte order.
  [LINKTYPE_NULL]: (f) =>
    f.length < 4 ? null : family(f.readUInt32LE(0) === AF_INET || f.readUInt32BE(0) === AF_INET, f),
  [LINKTYPE_LOOP]: (f) => (f.length < 4 ? null : family(f.readUInt32BE(0) === AF_INET, f)),
  // No link header at all: the IP version nibble says what follows.
  [LINKTYPE_RAW]: (f) => ({ etherType: f.length > 0 && f[0] >> 4 === 4 ? ETHERTYPE_IPV4 : 0, payload: f }),
  [LINKTYPE_IPV4]: (f) => ({ etherType: ETHERTYPE_IPV4, payload: f }),
};

export function linkTypeSupported(linkType: number): boolean {
  return linkType in DECODERS;
}

/** Strips the link-layer header; null for frames too short to hold one or of an unsupported link type. */
export function decodeLinkLayer(linkType: number, frame: Buffer): LinkFrame | null {
  return DECODERS[linkType]?.(frame) ?? null;
}

function family(inet: boolean, frame: Buffer): LinkFrame {
  return { etherType: inet ? ETHERTYPE_IPV4 : 0, payload: frame.subarray(4) };
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
