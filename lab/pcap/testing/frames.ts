/** Test support: Ethernet, SLL, SLL2, IPv4, TCP and UDP with correct lengths and checksums. */
const IPV4 = 0x0800;

export function ethernetFrame(ipPacket: Uint8Array): Buffer {
  const h = Buffer.alloc(14);
  Buffer.from([0x02, 0x42, 0xac, 0x11, 0x00, 0x02, 0x02, 0x42, 0xac, 0x11, 0x00, 0x03]).copy(h);
  h.writeUInt16BE(IPV4, 12);
  const frame = Buffer.concat([h, ipPacket]);
  // Real NICs pad to the 60-byte minimum; the decoder must cut by the IP length.
  return frame.length < 60 ? Buffer.concat([frame, Buffer.alloc(60 - frame.length)]) : frame;
}

export function sllFrame(ipPacket: Uint8Array): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(4, 0); // sent by us
  h.writeUInt16BE(1, 2); // ARPHRD_ETHER
  h.writeUInt16BE(6, 4);
  h.writeUInt16BE(IPV4, 14);
  return Buffer.concat([h, ipPacket]);
}

export function sll2Frame(ipPacket: Uint8Array): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(IPV4, 0);
  h.writeUInt32BE(2, 4); // interface index
  h.writeUInt16BE(1, 8);
  h[10] = 0;
  h[11] = 6;
  return Buffer.concat([h, ipPacket]);
}

export interface Ipv4Spec {
  src: string;
  dst: string;
  protocol: number;
  id?: number;
  /** Fragment offset in bytes (a multiple of 8) and the more-fragments flag. */
  fragmentOffset?: number;
  moreFragments?: boolean;
  payload: Uint8Array;
}

export function ipv4Packet(spec: Ipv4Spec): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + spec.payload.length, 2);
  h.writeUInt16BE(spec.id ?? 1, 4);
  h.writeUInt16BE(((spec.moreFragments ? 0x2000 : 0) | ((spec.fragmentOffset ?? 0) / 8)) >>> 0, 6);
  h[8] = 64;
  h[9] = spec.protocol;
  ipBytes(spec.src).copy(h, 12);
  ipBytes(spec.dst).copy(h, 16);
  h.writeUInt16BE(checksum(h), 10);
  return Buffer.concat([h, spec.payload]);
}

/** Splits a whole IP packet's payload the way a 1500-byte MTU link does. */
export function ipv4Fragments(spec: Ipv4Spec, mtu = 1500): Buffer[] {
  const step = Math.floor((mtu - 20) / 8) * 8;
  const out: Buffer[] = [];
  for (let at = 0; at < spec.payload.length; at += step) {
    const part = spec.payload.subarray(at, at + step);
    out.push(
      ipv4Packet({ ...spec, fragmentOffset: at, moreFragments: at + step < spec.payload.length, payload: part }),
    );
  }
  return out;
}

export interface TcpSpec {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack?: number;
  flags?: { syn?: boolean; ack?: boolean; fin?: boolean; psh?: boolean };
  payload?: Uint8Array;
}

export function tcpSegment(spec: TcpSpec): Buffer {
  const payload = Buffer.from(spec.payload ?? []);
  const h = Buffer.alloc(20);
  h.writeUInt16BE(spec.srcPort, 0);
  h.writeUInt16BE(spec.dstPort, 2);
  h.writeUInt32BE(spec.seq >>> 0, 4);
  h.writeUInt32BE((spec.ack ?? 0) >>> 0, 8);
  h[12] = 5 << 4;
  const f = spec.flags ?? { ack: true, psh: payload.length > 0 };
  h[13] = (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0);
  h.writeUInt16BE(65535, 14);
  const segment = Buffer.concat([h, payload]);
  segment.writeUInt16BE(checksum(Buffer.concat([pseudoHeader(spec.src, spec.dst, 6, segment.length), segment])), 16);
  return ipv4Packet({ src: spec.src, dst: spec.dst, protocol: 6, payload: segment });
}

export interface UdpSpec {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

/** The UDP segment (header + payload) alone, so that a test can fragment its IP packet. */
export function udpSegment(spec: UdpSpec): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(spec.srcPort, 0);
  h.writeUInt16BE(spec.dstPort, 2);
  h.writeUInt16BE(8 + spec.payload.length, 4);
  const segment = Buffer.concat([h, spec.payload]);
  segment.writeUInt16BE(
    checksum(Buffer.concat([pseudoHeader(spec.src, spec.dst, 17, segment.length), segment])) || 0xffff,
    6,
  );
  return segment;
}

function pseudoHeader(src: string, dst: string, protocol: number, length: number): Buffer {
  const p = Buffer.alloc(12);
  ipBytes(src).copy(p, 0);
  ipBytes(dst).copy(p, 4);
  p[9] = protocol;
  p.writeUInt16BE(length, 10);
  return p;
}

function ipBytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

function checksum(buf: Buffer): number {
  let sum = 0;
  for (let i = 0; i < buf.length; i += 2) sum += (buf[i] << 8) | (buf[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
