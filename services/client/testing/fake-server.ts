import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { encodeLine, LineDecoder } from '../../protocol/line-codec.ts';
import { CHUNK_SIZE, datagramCount, encodeDatagram, pauseBoundary } from '../../protocol/datagram.ts';

export interface FakeServerOptions {
  file: Buffer;
  pausePercent?: number;
  /** Seqs left out of the first send: only a resend request brings them. */
  withhold?: Iterable<number>;
  /** False: resend requests go unanswered, so the client keeps waiting. */
  answerResends?: boolean;
  /** Datagrams to send right after `udp|<port>`, before the real ones. */
  before?: (send: (bytes: Uint8Array, from?: dgram.Socket) => void) => void;
  /** Address the client connects from; the fake answers `udp|` to it. */
  host?: string;
  /**
   * Answer `checksum|<file>` with the file's SHA-256. Otherwise the fake answers it as a server
   * that predates the line does: `error|unknown command: checksum`.
   */
  checksums?: boolean;
  /** The bytes whose checksum it gives instead of the file's: a server (or a forger) that never agrees. */
  checksumOf?: Buffer;
}

/**
 * A server that speaks just enough of the protocol over real loopback sockets to drive
 * one download: answers `udp|`, `resend|`, `proceed` and `stop`, and records every line.
 */
export class FakeServer {
  readonly received: string[] = [];
  readonly tcp: net.Server;
  readonly udp = dgram.createSocket('udp4');
  readonly foreignUdp = dgram.createSocket('udp4');
  /** On the server's own address, another port than the download's. */
  readonly otherPortUdp = dgram.createSocket('udp4');
  private peer: net.Socket | null = null;
  private clientPort = 0;
  private clientAddress = '';
  private nextSeq = 0;
  private readonly withheld: Set<number>;
  private readonly count: number;
  private readonly pauseAt: number;

  private constructor(private readonly options: FakeServerOptions) {
    this.withheld = new Set(options.withhold ?? []);
    this.count = datagramCount(options.file.length);
    this.pauseAt = pauseBoundary(this.count, options.pausePercent ?? 50);
    this.tcp = net.createServer((socket) => this.accept(socket));
  }

  static async start(options: FakeServerOptions): Promise<FakeServer> {
    const fake = new FakeServer(options);
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => fake.tcp.listen(0, host, resolve));
    await new Promise<void>((resolve) => fake.udp.bind(0, host, resolve));
    await new Promise<void>((resolve) => fake.foreignUdp.bind(0, '127.0.0.2', resolve));
    await new Promise<void>((resolve) => fake.otherPortUdp.bind(0, host, resolve));
    return fake;
  }

  get port(): number {
    return (this.tcp.address() as net.AddressInfo).port;
  }

  get resendLines(): string[] {
    return this.received.filter((line) => line.startsWith('resend|'));
  }

  /** What the client said, without its progress reports (`ack|…`), which come as often as datagrams arrive. */
  get commands(): string[] {
    return this.received.filter((line) => !line.startsWith('ack|'));
  }

  sendLine(line: string): void {
    this.peer?.write(encodeLine(line));
  }

  dropConnection(): void {
    this.peer?.destroy();
  }

  async close(): Promise<void> {
    this.peer?.destroy();
    for (const socket of [this.udp, this.foreignUdp, this.otherPortUdp]) socket.close();
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.peer = socket;
    this.clientAddress = socket.remoteAddress ?? '';
    const decoder = new LineDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) if (event.kind === 'line') this.onLine(event.text);
    });
    socket.on('error', () => undefined);
  }

  private onLine(line: string): void {
    this.received.push(line);
    const [verb, ...args] = line.split('|');
    if (verb === 'udp') {
      this.clientPort = Number(args[0]);
      this.options.before?.((bytes, from = this.udp) => from.send(bytes, this.clientPort, this.clientAddress));
      this.sendUpTo(this.pauseAt);
    } else if (verb === 'proceed') {
      this.sendUpTo(this.count);
    } else if (verb === 'resend' && this.options.answerResends !== false) {
      for (const seq of args.map(Number)) this.sendSeq(seq);
    } else if (verb === 'checksum') {
      this.sendLine(
        this.options.checksums
          ? `checksum|sha256|${createHash('sha256')
              .update(this.options.checksumOf ?? this.options.file)
              .digest('hex')}`
          : 'error|unknown command: checksum',
      );
    } else if (verb === 'stop') {
      const all = this.nextSeq >= this.count;
      const last = this.options.file.length === 0 ? 'none' : String(this.options.file[this.options.file.length - 1]);
      this.sendLine(all ? `User tester downloaded 100% out of file. Last byte is: ${last}` : 'download stopped');
    }
  }

  private sendUpTo(limit: number): void {
    for (; this.nextSeq < limit; this.nextSeq++) if (!this.withheld.has(this.nextSeq)) this.sendSeq(this.nextSeq);
  }

  private sendSeq(seq: number): void {
    const data = this.options.file.subarray(seq * CHUNK_SIZE, (seq + 1) * CHUNK_SIZE);
    this.udp.send(encodeDatagram(seq, data), this.clientPort, this.clientAddress);
  }
}
