import { decodeDatagram } from '../../services/protocol/datagram.ts';
import type { Endpoint } from './endpoint.ts';
import { decodeIpv4, IPPROTO_TCP, IPPROTO_UDP, isFragment, type Ipv4Packet } from './ipv4.ts';
import { Ipv4Reassembler } from './ipv4-reassembly.ts';
import { decodeLinkLayer, ETHERTYPE_IPV4 } from './link-layer.ts';
import { readPcap, type RawCapture } from './read-pcap.ts';
import { TcpConnections } from './tcp-connections.ts';
import type { ControlLine, TcpDirection } from './tcp-stream.ts';
import { decodeTcp, decodeUdp } from './transport.ts';

export interface UdpPacket {
  kind: 'udp';
  /** For a reassembled packet, the time of the fragment that completed it. */
  tsUs: number;
  src: Endpoint;
  dst: Endpoint;
  payload: Buffer;
  /** 1 for an unfragmented packet. */
  fragments: number;
  /** The download datagram this payload decodes as, if any. */
  datagram: { seq: number; dataLength: number } | null;
}

export interface TcpSegment {
  kind: 'tcp';
  tsUs: number;
  src: Endpoint;
  dst: Endpoint;
  seq: number;
  ack: number;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  payloadLength: number;
}

export type CapturePacket = UdpPacket | TcpSegment;

export interface DecodedCapture {
  source: string;
  linkType: number;
  /** Every TCP segment and every whole UDP packet, in capture order. */
  packets: CapturePacket[];
  udp: UdpPacket[];
  /** Control lines of every TCP direction, in time order. */
  controlLines: ControlLine[];
  /** Each direction of each connection, with its lines. */
  directions: TcpDirection[];
  stats: { records: number; skipped: number; incompleteFragments: number; truncatedTailBytes: number };
}

export async function readCapture(path: string): Promise<DecodedCapture> {
  return decodeCapture(await readPcap(path));
}

export function decodeCapture(raw: RawCapture): DecodedCapture {
  const reassembler = new Ipv4Reassembler();
  const tcp = new TcpConnections();
  const packets: CapturePacket[] = [];
  let skipped = 0;
  for (const record of raw.records) {
    const link = decodeLinkLayer(raw.linkType, record.data);
    let ip = link && link.etherType === ETHERTYPE_IPV4 ? decodeIpv4(link.payload) : null;
    let fragments = 1;
    if (ip && isFragment(ip)) {
      const whole = reassembler.push(ip);
      if (!whole) continue;
      ({ packet: ip, fragmentCount: fragments } = whole);
    }
    const packet = ip && decodeTransport(ip, record.tsUs, fragments);
    if (!packet) {
      skipped++;
      continue;
    }
    packets.push(packet.decoded);
    if (packet.decoded.kind === 'tcp') tcp.push(packet.decoded, packet.payload);
  }
  const directions = tcp.finish();
  const controlLines = directions.flatMap((d) => d.lines).sort((a, b) => a.tsUs - b.tsUs);
  return {
    source: raw.source,
    linkType: raw.linkType,
    packets,
    udp: packets.filter((p): p is UdpPacket => p.kind === 'udp'),
    controlLines,
    directions,
    stats: {
      records: raw.records.length,
      skipped,
      incompleteFragments: reassembler.incomplete,
      truncatedTailBytes: raw.truncatedTailBytes,
    },
  };
}

function decodeTransport(
  ip: Ipv4Packet,
  tsUs: number,
  fragments: number,
): { decoded: CapturePacket; payload: Buffer } | null {
  if (ip.protocol === IPPROTO_UDP) {
    const udp = decodeUdp(ip.payload);
    if (!udp) return null;
    const d = decodeDatagram(udp.payload);
    const decoded: UdpPacket = {
      kind: 'udp',
      tsUs,
      fragments,
      payload: udp.payload,
      src: { ip: ip.src, port: udp.srcPort },
      dst: { ip: ip.dst, port: udp.dstPort },
      datagram: d && { seq: d.seq, dataLength: d.data.length },
    };
    return { decoded, payload: udp.payload };
  }
  if (ip.protocol === IPPROTO_TCP) {
    const t = decodeTcp(ip.payload);
    if (!t) return null;
    const { payload, srcPort, dstPort, ...rest } = t;
    const decoded: TcpSegment = {
      kind: 'tcp',
      tsUs,
      ...rest,
      payloadLength: payload.length,
      src: { ip: ip.src, port: srcPort },
      dst: { ip: ip.dst, port: dstPort },
    };
    return { decoded, payload };
  }
  return null;
}
