import { decodeDatagram, MAX_BLOCK_SIZE } from '../../services/protocol/datagram.ts';
import { PcapLinkTypeError } from './errors.ts';
import { decodeIpv4, IPPROTO_TCP, IPPROTO_UDP, isFragment, type Ipv4Packet } from './ipv4.ts';
import { Ipv4Reassembler } from './ipv4-reassembly.ts';
import { decodeLinkLayer, ETHERTYPE_IPV4, linkTypeSupported } from './link-layer.ts';
import type { CapturePacket, TcpSegment, UdpPacket } from './packets.ts';
import { readPcap, type PcapRecord, type RawCapture } from './read-pcap.ts';
import { TcpConnections } from './tcp-connections.ts';
import type { ControlLine, TcpDirection } from './tcp-stream.ts';
import { decodeTcp, decodeUdp } from './transport.ts';

export interface CaptureStats {
  records: number;
  /** Frames that are not IPv4 TCP or UDP (ARP, IPv6, ICMP, …), or of a link type not decoded. */
  skipped: number;
  incompleteFragments: number;
  /** Bytes after the last whole record: the capturing process was stopped mid-write. */
  truncatedTailBytes: number;
  /** IPv4 packets the snap length cut: never decoded, since their lengths and contents are unknown. */
  truncatedPackets: number;
  /** pcapng simple packet blocks, which carry no time of their own. */
  untimedRecords: number;
  /** Link types of frames skipped because the decoder does not know them. */
  unsupportedLinkTypes: number[];
}

export interface DecodedCapture {
  source: string;
  format: RawCapture['format'];
  linkType: number;
  snapLength: number;
  /** Every TCP segment and every whole UDP packet, in capture order. */
  packets: CapturePacket[];
  udp: UdpPacket[];
  /** Control lines of every TCP direction, in time order. */
  controlLines: ControlLine[];
  /** Each direction of each connection, with its lines. */
  directions: TcpDirection[];
  stats: CaptureStats;
}

export async function readCapture(path: string, label?: string): Promise<DecodedCapture> {
  return decodeCapture(await readPcap(path, label));
}

type Decoded = { decoded: CapturePacket; payload: Buffer } | 'skipped' | 'cut' | 'pending';

export function decodeCapture(raw: RawCapture): DecodedCapture {
  const reassembler = new Ipv4Reassembler();
  const tcp = new TcpConnections();
  const packets: CapturePacket[] = [];
  const tally = { skipped: 0, cut: 0, pending: 0 };
  const unsupported = new Set<number>();
  for (const record of raw.records) {
    if (!linkTypeSupported(record.linkType)) unsupported.add(record.linkType);
    const packet = decodeRecord(record, reassembler);
    if (typeof packet === 'string') {
      tally[packet]++;
      continue;
    }
    packets.push(packet.decoded);
    if (packet.decoded.kind === 'tcp') tcp.push(packet.decoded, packet.payload);
  }
  if (unsupported.size > 0 && packets.length === 0) throw new PcapLinkTypeError([...unsupported][0]);
  const directions = tcp.finish();
  return {
    source: raw.source,
    format: raw.format,
    linkType: raw.linkType,
    snapLength: raw.snapLength,
    packets,
    udp: packets.filter((p): p is UdpPacket => p.kind === 'udp'),
    controlLines: directions.flatMap((d) => d.lines).sort((a, b) => a.tsUs - b.tsUs),
    directions,
    stats: {
      records: raw.records.length,
      skipped: tally.skipped,
      incompleteFragments: reassembler.incomplete,
      truncatedTailBytes: raw.truncatedTailBytes,
      truncatedPackets: tally.cut,
      untimedRecords: raw.untimedRecords,
      unsupportedLinkTypes: [...unsupported],
    },
  };
}

function decodeRecord(record: PcapRecord, reassembler: Ipv4Reassembler): Decoded {
  const link = decodeLinkLayer(record.linkType, record.data);
  let ip = link && link.etherType === ETHERTYPE_IPV4 ? decodeIpv4(link.payload) : null;
  if (!ip) return 'skipped';
  // A cut packet would decode into wrong lengths, a short datagram, a hole in a TCP stream read as data.
  if (ip.cut) return 'cut';
  let fragments = 1;
  if (isFragment(ip)) {
    const whole = reassembler.push(ip);
    if (!whole) return 'pending';
    ({ packet: ip, fragmentCount: fragments } = whole);
  }
  return decodeTransport(ip, record, fragments) ?? 'skipped';
}

function decodeTransport(
  ip: Ipv4Packet,
  { tsUs, frame }: PcapRecord,
  fragments: number,
): { decoded: CapturePacket; payload: Buffer } | null {
  if (ip.protocol === IPPROTO_UDP) {
    const udp = decodeUdp(ip.payload);
    if (!udp) return null;
    // Of any block a download may agree on (`blksize|…`): the timeline judges each download's own.
    const d = decodeDatagram(udp.payload, MAX_BLOCK_SIZE);
    const decoded: UdpPacket = {
      kind: 'udp',
      frame,
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
      frame,
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
