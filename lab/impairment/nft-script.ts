import { HEADER_SIZE, MAX_DATAGRAM_SIZE, expectedPayloadLength } from '../../services/protocol/datagram.ts';
import type { Direction } from './impairment-spec.ts';

export const NFT_TABLE = 'udp_chat_lab';
const IP_UDP_HEADERS = 20 + 8;

/** One stream of packets between the server and one client, in one direction. */
export interface Flow {
  /** Names the chain: `<client>-<direction>`. */
  key: string;
  direction: Direction;
  saddr: string;
  daddr: string;
}

export interface DatagramDrop {
  flow: Flow;
  seq: number;
  times: number;
  fileSize?: number;
  /** Free text kept in the rule's comment, e.g. `seed 42`. */
  why: string;
}

export interface FlowLoss {
  flow: Flow;
  percent: number;
}

/** IP packet length of datagram `seq`: what nft's quota counts per packet. */
export function datagramPacketBytes(seq: number, fileSize?: number): number {
  const payload = fileSize === undefined ? MAX_DATAGRAM_SIZE : HEADER_SIZE + expectedPayloadLength(seq, fileSize);
  return IP_UDP_HEADERS + payload;
}

/**
 * `quota until Q bytes` matches a packet while the bytes counted so far,
 * this packet included, stay below Q. With every copy of one seq the same
 * length L, Q = n·L + 1 matches copies 1…n exactly and never copy n+1.
 */
export function quotaFor(times: number, packetBytes: number): number {
  return times * packetBytes + 1;
}

/**
 * The whole rule set as one nft script, loaded in one transaction. Datagram
 * rules sit in a chain per flow that only that flow's UDP enters, so TCP and
 * other flows never walk the (possibly hundreds of) per-seq rules.
 */
export function nftScript(drops: readonly DatagramDrop[], tcpLoss: readonly FlowLoss[]): string {
  const out: string[] = [
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    '  chain forward {',
    '    type filter hook forward priority 0; policy accept;',
  ];
  const chains = new Map<string, { flow: Flow; rules: string[] }>();
  for (const d of drops) {
    const chain = chains.get(d.flow.key) ?? { flow: d.flow, rules: [] };
    chains.set(d.flow.key, chain);
    const bytes = datagramPacketBytes(d.seq, d.fileSize);
    // @th,64,32 = first 4 payload bytes (the seq); @th,96,8 = the ':' after it.
    chain.rules.push(
      `    @th,64,32 ${d.seq} @th,96,8 0x3a quota until ${quotaFor(d.times, bytes)} bytes counter drop comment "seq ${d.seq} x${d.times} ${d.why}"`,
    );
  }
  for (const { flow } of chains.values()) {
    out.push(`    ip saddr ${flow.saddr} ip daddr ${flow.daddr} meta l4proto udp jump ${chainName(flow)}`);
  }
  for (const { flow, percent } of tcpLoss) {
    const perTenThousand = Math.round(percent * 100);
    out.push(
      `    ip saddr ${flow.saddr} ip daddr ${flow.daddr} meta l4proto tcp numgen random mod 10000 < ${perTenThousand} counter drop comment "tcp loss ${percent}% ${flow.key}"`,
    );
  }
  out.push('  }');
  for (const { flow, rules } of chains.values()) {
    out.push(`  chain ${chainName(flow)} {`, ...rules, '  }');
  }
  out.push('}', '');
  return out.join('\n');
}

export function chainName(flow: Flow): string {
  return `dgram_${flow.key}`.replace(/[^A-Za-z0-9_]/g, '_');
}
