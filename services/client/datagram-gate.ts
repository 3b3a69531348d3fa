import { CHUNK_SIZE, decodeDatagram, type Datagram } from '../protocol/datagram.ts';

/** Datagrams turned away, by reason. */
export interface GateCounts {
  /** From another address than the server's. */
  foreign: number;
  /** From the server's address but another port than the download's. */
  otherPort: number;
  /** Past the part the server may be sending: no server that keeps the protocol sends them yet. */
  early: number;
  malformed: number;
  badLength: number;
  outOfRange: number;
}

/**
 * Which datagrams a download takes: only from the server's address (the TCP peer), and from
 * the one port the first good one came from, since a download's datagrams all leave one socket
 * of the server; only well-formed, of the right length for their seq, within the file, and
 * within the parts asked for so far. Anything else is counted and dropped, never stored.
 */
export class DatagramGate {
  readonly counts: GateCounts = { foreign: 0, otherPort: 0, early: 0, malformed: 0, badLength: 0, outOfRange: 0 };
  private serverPort: number | null = null;
  private opened = 0;

  /** `count`: N, the datagrams of the file; `block`: the bytes of the file in each full one. */
  constructor(
    private readonly count: number,
    private readonly serverAddress: string,
    private readonly block = CHUNK_SIZE,
  ) {}

  get turnedAway(): number {
    const c = this.counts;
    return c.foreign + c.otherPort + c.early + c.malformed + c.badLength + c.outOfRange;
  }

  /** The end of the parts asked for so far: the server sends nothing at or past it. */
  get openedTo(): number {
    return this.opened;
  }

  /** The client asked for the part ending at `to`: datagrams before it may come now. */
  openUpTo(to: number): void {
    this.opened = Math.max(this.opened, to);
  }

  /** The datagram, if the download takes it; null, counted by reason, if not. */
  admit(msg: Buffer, from: string, port: number): Datagram | null {
    if (!sameAddress(from, this.serverAddress)) return this.turnAway('foreign');
    if (this.serverPort !== null && port !== this.serverPort) return this.turnAway('otherPort');
    const datagram = decodeDatagram(msg, this.block);
    if (!datagram) return this.turnAway('malformed');
    const { seq, data } = datagram;
    if (seq >= this.count) return this.turnAway('outOfRange');
    // Every datagram but the last is full; the last holds 1 to `block` bytes.
    const lengthOk = seq < this.count - 1 ? data.length === this.block : data.length >= 1;
    if (!lengthOk) return this.turnAway('badLength');
    // Before `proceed` the server sends nothing past the pause: such a datagram is somebody else's.
    if (seq >= this.opened) return this.turnAway('early');
    this.serverPort ??= port;
    return datagram;
  }

  private turnAway(reason: keyof GateCounts): null {
    this.counts[reason]++;
    return null;
  }
}

/** 127.0.0.1 and ::ffff:127.0.0.1 are the same peer. */
function sameAddress(a: string, b: string): boolean {
  const strip = (ip: string) => ip.replace(/^::ffff:/i, '');
  return strip(a) === strip(b);
}
