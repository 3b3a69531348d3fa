import { CHUNK_SIZE, encodeDatagram, MAX_BLOCK_SIZE } from '../../../services/protocol/datagram.ts';
import type { Endpoint } from '../endpoint.ts';
import { ethernetFrame, ipv4Fragments, sll2Frame, sllFrame, tcpSegment, udpSegment } from './frames.ts';
import { writePcap, type FrameRecord } from './pcap-writer.ts';

/** An arbitrary but fixed epoch for synthetic captures: 2026-11-25T00:00:00Z. */
export const T0_US = Date.UTC(2026, 10, 25) * 1000;

const framers = { 1: ethernetFrame, 113: sllFrame, 276: sll2Frame } as const;

/**
 * Test support: scripts a conversation (TCP lines, download datagrams) and
 * renders it as a pcap. Times are milliseconds after T0_US.
 */
export class CaptureBuilder {
  private readonly records: FrameRecord[] = [];
  private readonly nextSeq = new Map<string, number>();
  private ipId = 100;

  constructor(private readonly options: { linkType?: keyof typeof framers; mtu?: number } = {}) {}

  /** Three-way handshake; the client's ISN is 1000 and the server's 5000 unless given. */
  connect(ms: number, client: Endpoint, server: Endpoint, isn = { client: 1000, server: 5000 }): this {
    this.nextSeq.set(key(client, server), isn.client + 1);
    this.nextSeq.set(key(server, client), isn.server + 1);
    this.tcp(ms, client, server, { seq: isn.client, flags: { syn: true } });
    this.tcp(ms, server, client, { seq: isn.server, ack: isn.client + 1, flags: { syn: true, ack: true } });
    return this.tcp(ms, client, server, { seq: isn.client + 1, ack: isn.server + 1, flags: { ack: true } });
  }

  /** One segment carrying `text` + "\n" at the direction's next sequence number. */
  line(ms: number, from: Endpoint, to: Endpoint, text: string): this {
    return this.bytes(ms, from, to, Buffer.from(`${text}\n`));
  }

  /** Sends bytes as the next data of a direction; `at` overrides the sequence number (a retransmission). */
  bytes(ms: number, from: Endpoint, to: Endpoint, payload: Uint8Array, at?: number): this {
    const k = key(from, to);
    const next = this.nextSeq.get(k) ?? 1;
    const seq = at ?? next;
    this.nextSeq.set(k, Math.max(next, seq + payload.length));
    return this.tcp(ms, from, to, { seq, payload });
  }

  /** The next sequence number a direction would use. */
  seqOf(from: Endpoint, to: Endpoint): number {
    return this.nextSeq.get(key(from, to)) ?? 1;
  }

  /** A download datagram; IP-fragmented when larger than the MTU. */
  datagram(ms: number, from: Endpoint, to: Endpoint, seq: number, dataLength = CHUNK_SIZE): this {
    const payload = encodeDatagram(seq, Buffer.alloc(dataLength, seq & 0xff), MAX_BLOCK_SIZE);
    return this.udp(ms, from, to, payload);
  }

  udp(ms: number, from: Endpoint, to: Endpoint, payload: Uint8Array): this {
    const segment = udpSegment({ src: from.ip, dst: to.ip, srcPort: from.port, dstPort: to.port, payload });
    const id = this.ipId++;
    for (const packet of ipv4Fragments(
      { src: from.ip, dst: to.ip, protocol: 17, id, payload: segment },
      this.options.mtu ?? 1500,
    )) {
      this.push(ms, packet);
    }
    return this;
  }

  frames(): FrameRecord[] {
    return [...this.records];
  }

  pcap(): Buffer {
    return writePcap(this.records, { linkType: this.options.linkType ?? 1 });
  }

  private tcp(
    ms: number,
    from: Endpoint,
    to: Endpoint,
    s: { seq: number; ack?: number; flags?: Parameters<typeof tcpSegment>[0]['flags']; payload?: Uint8Array },
  ): this {
    return this.push(ms, tcpSegment({ src: from.ip, dst: to.ip, srcPort: from.port, dstPort: to.port, ...s }));
  }

  private push(ms: number, ipPacket: Buffer): this {
    this.records.push({ tsUs: T0_US + Math.round(ms * 1000), frame: framers[this.options.linkType ?? 1](ipPacket) });
    return this;
  }
}

function key(from: Endpoint, to: Endpoint): string {
  return `${from.ip}:${from.port}>${to.ip}:${to.port}`;
}
