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

  constructor(readonly client: Endpoint = CLIENT) {
    this.sent.connect(0, client, SERVER);
    this.received.connect(0, client, SERVER);
  }

  fromClient(ms: number, text: string): this {
    this.received.line(ms, this.client, SERVER, text);
    this.sent.line(ms + HOP_MS, this.client, SERVER, text);
    return this;
  }

  fromServer(ms: number, text: string): this {
    this.sent.line(ms, SERVER, this.client, text);
    this.received.line(ms + HOP_MS, SERVER, this.client, text);
    return this;
  }

  datagram(ms: number, seq: number, opts: { dropped?: boolean; dataLength?: number } = {}): this {
    const to = { ip: this.client.ip, port: CLIENT_UDP_PORT };
    this.sent.datagram(ms, SERVER_UDP, to, seq, opts.dataLength);
    if (!opts.dropped) this.received.datagram(ms + HOP_MS, SERVER_UDP, to, seq, opts.dataLength);
    return this;
  }

  async input(extra: Partial<TimelineInput> = {}): Promise<TimelineInput> {
    const [sent, received] = await Promise.all(
      [this.sent.pcap(), this.received.pcap()].map((b, i) => readPcap(b, i ? 'received.pcap' : 'sent.pcap')),
    );
    return { sent: decodeCapture(sent), received: decodeCapture(received), serverIp: SERVER.ip, ...extra };
  }
}
