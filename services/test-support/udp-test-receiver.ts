import dgram from 'node:dgram';
import { once } from 'node:events';
import { decodeDatagram, MAX_BLOCK_SIZE } from '../protocol/datagram.ts';

/** A bare UDP endpoint for server tests: records every datagram, and can ignore chosen first arrivals. */
export class UdpTestReceiver {
  readonly arrivals: { seq: number; data: Buffer; from: string }[] = [];
  readonly held = new Map<number, Buffer>();
  private readonly ignoreOnce: Set<number>;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly socket: dgram.Socket,
    ignoreFirst: Iterable<number>,
  ) {
    this.ignoreOnce = new Set(ignoreFirst);
    socket.on('message', (msg, rinfo) => {
      // Any block a server may agree to: the tests judge the sizes themselves.
      const d = decodeDatagram(msg, MAX_BLOCK_SIZE);
      if (!d) return;
      this.arrivals.push({ seq: d.seq, data: Buffer.from(d.data), from: rinfo.address });
      if (this.ignoreOnce.delete(d.seq)) return;
      this.held.set(d.seq, Buffer.from(d.data));
      for (const l of [...this.listeners]) l();
    });
  }

  static async open(address = '127.0.0.1', ignoreFirst: Iterable<number> = []): Promise<UdpTestReceiver> {
    const socket = dgram.createSocket('udp4');
    socket.bind(0, address);
    await once(socket, 'listening');
    return new UdpTestReceiver(socket, ignoreFirst);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Resolves once every seq in [0, count) is held, or after `quietMs` with nothing new. */
  async settle(count: number, quietMs = 300): Promise<void> {
    const allHeld = () => {
      for (let s = 0; s < count; s++) if (!this.held.has(s)) return false;
      return true;
    };
    while (!allHeld()) {
      const arrived = await new Promise<boolean>((resolve) => {
        const onArrival = () => done(true);
        const timer = setTimeout(() => done(false), quietMs);
        const done = (value: boolean) => {
          clearTimeout(timer);
          this.listeners.delete(onArrival);
          resolve(value);
        };
        this.listeners.add(onArrival);
      });
      if (!arrived) return;
    }
  }

  seqsSent(): number[] {
    return this.arrivals.map((a) => a.seq);
  }

  assemble(count: number): Buffer {
    return Buffer.concat([...Array(count).keys()].map((s) => this.held.get(s) ?? Buffer.alloc(0)));
  }

  close(): void {
    this.socket.close();
  }
}
