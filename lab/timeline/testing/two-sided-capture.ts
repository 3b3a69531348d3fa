import type { Endpoint } from '../../pcap/index.ts';
import { decodeCapture, readPcap } from '../../pcap/index.ts';
import { CaptureBuilder } from '../../pcap/testing/capture-builder.ts';
import type { TimelineInput } from '../types.ts';

export const SERVER: Endpoint = { ip: '10.77.0.10', port: 55000 };
export const SERVER_UDP: Endpoint = { ip: '10.77.0.10', port: 41000 };
export const CLIENT: Endpoint = { ip: '10.77.1.20', port: 38000 };
export const CLIENT_UDP_PORT = 50123;

/** The router adds this much between the two capture points (ms). */
const HOP_MS = 0.05;

/**
 * Test support: writes the same conversation into a sent-side and a
 * received-side capture, dropping chosen datagram copies between them,
 * as a router with an nftables drop rule would.
 */
export class TwoSidedCapture {
  readonly sent = new CaptureBuilder();
  readonly received = new CaptureBuilder();
  /** The client's own capture, one more hop on: its copies arrive `clientDelayMs` after the router's client side. */
  readonly atClient = new CaptureBuilder();

  constructor(
    readonly client: Endpoint = CLIENT,
    private readonly clientDelayMs = HOP_MS,
  ) {
    for (const b of [this.sent, this.received, this.atClient]) b.connect(0, client, SERVER);
  }

  fromClient(ms: number, text: string): this {
    this.atClient.line(ms, this.client, SERVER, text);
    this.received.line(ms, this.client, SERVER, text);
    this.sent.line(ms + HOP_MS, this.client, SERVER, text);
    return this;
  }

  fromServer(ms: number, text: string): this {
    this.sent.line(ms, SERVER, this.client, text);
    this.received.line(ms + HOP_MS, SERVER, this.client, text);
    this.atClient.line(ms + HOP_MS + this.clientDelayMs, SERVER, this.client, text);
    return this;
  }

  /** `lateMs`: the router holds this copy back, so it reaches the received side that much later. */
  datagram(ms: number, seq: number, opts: { dropped?: boolean; dataLength?: number; lateMs?: number } = {}): this {
    const to = { ip: this.client.ip, port: CLIENT_UDP_PORT };
    this.sent.datagram(ms, SERVER_UDP, to, seq, opts.dataLength);
    if (opts.dropped) return this;
    const late = opts.lateMs ?? 0;
    this.received.datagram(ms + HOP_MS + late, SERVER_UDP, to, seq, opts.dataLength);
    this.atClient.datagram(ms + HOP_MS + late + this.clientDelayMs, SERVER_UDP, to, seq, opts.dataLength);
    return this;
  }

  async input(extra: Partial<TimelineInput> & { withClient?: boolean } = {}): Promise<TimelineInput> {
    const { withClient, ...rest } = extra;
    const names = ['sent.pcap', 'received.pcap', 'client-alice.pcap'];
    const [sent, received, atClient] = await Promise.all(
      [this.sent.pcap(), this.received.pcap(), this.atClient.pcap()].map((b, i) => readPcap(b, names[i])),
    );
    return {
      sent: decodeCapture(sent),
      received: decodeCapture(received),
      ...(withClient ? { atClients: [decodeCapture(atClient)] } : {}),
      serverIp: SERVER.ip,
      ...rest,
    };
  }
}
