/** Test support: writes pcapng files block by block, in either byte order. */
export interface PcapngInterface {
  linkType?: number;
  snapLength?: number;
  name?: string;
  /** if_tsresol as stored: 6 for microseconds, 9 for nanoseconds, 0x80 | n for 2^-n seconds. */
  tsresol?: number;
  /** if_tsoffset in seconds. */
  tsoffset?: number;
}

export class PcapngWriter {
  private readonly blocks: Buffer[] = [];
  private le: boolean;

  constructor(options: { bigEndian?: boolean } = {}) {
    this.le = !options.bigEndian;
    this.section();
  }

  /** A new section: interfaces start again from 0; its byte order may differ from the last one's. */
  section(options: { bigEndian?: boolean } = {}): this {
    if (options.bigEndian !== undefined) this.le = !options.bigEndian;
    const body = Buffer.alloc(16);
    this.u32(body, 0x1a2b3c4d, 0);
    this.u16(body, 1, 4);
    this.u16(body, 0, 6);
    body.writeBigInt64LE(-1n, 8); // section length unknown, the same bytes in either order
    return this.block(0x0a0d0d0a, body);
  }

  interface(i: PcapngInterface = {}): this {
    const head = Buffer.alloc(8);
    this.u16(head, i.linkType ?? 1, 0);
    this.u32(head, i.snapLength ?? 262144, 4);
    const options: Buffer[] = [];
    if (i.name !== undefined) options.push(this.option(2, Buffer.from(i.name)));
    if (i.tsresol !== undefined) options.push(this.option(9, Buffer.from([i.tsresol])));
    if (i.tsoffset !== undefined) {
      const v = Buffer.alloc(8);
      if (this.le) v.writeBigInt64LE(BigInt(i.tsoffset));
      else v.writeBigInt64BE(BigInt(i.tsoffset));
      options.push(this.option(14, v));
    }
    if (options.length) options.push(this.option(0, Buffer.alloc(0)));
    return this.block(1, Buffer.concat([head, ...options]));
  }

  /** An enhanced packet block; `ticks` in the interface's units. `originalLength` above the data marks a cut packet. */
  packet(interfaceId: number, ticks: bigint, data: Uint8Array, originalLength = data.length): this {
    const head = Buffer.alloc(20);
    this.u32(head, interfaceId, 0);
    this.u32(head, Number(ticks >> 32n), 4);
    this.u32(head, Number(ticks & 0xffffffffn), 8);
    this.u32(head, data.length, 12);
    this.u32(head, originalLength, 16);
    return this.block(6, Buffer.concat([head, pad(Buffer.from(data))]));
  }

  /** A simple packet block: interface 0, no timestamp. */
  simplePacket(data: Uint8Array): this {
    const head = Buffer.alloc(4);
    this.u32(head, data.length, 0);
    return this.block(3, Buffer.concat([head, pad(Buffer.from(data))]));
  }

  /** A block of a type the reader must step over (name resolution, statistics, custom …). */
  other(type: number, body = Buffer.alloc(8, 0xee)): this {
    return this.block(type, pad(body));
  }

  bytes(): Buffer {
    return Buffer.concat(this.blocks);
  }

  private block(type: number, body: Buffer): this {
    const length = 12 + body.length;
    const head = Buffer.alloc(8);
    this.u32(head, type, 0);
    this.u32(head, length, 4);
    const tail = Buffer.alloc(4);
    this.u32(tail, length, 0);
    this.blocks.push(Buffer.concat([head, body, tail]));
    return this;
  }

  private option(code: number, value: Buffer): Buffer {
    const head = Buffer.alloc(4);
    this.u16(head, code, 0);
    this.u16(head, value.length, 2);
    return Buffer.concat([head, pad(value)]);
  }

  private u16(b: Buffer, v: number, at: number): void {
    if (this.le) b.writeUInt16LE(v, at);
    else b.writeUInt16BE(v, at);
  }

  private u32(b: Buffer, v: number, at: number): void {
    if (this.le) b.writeUInt32LE(v >>> 0, at);
    else b.writeUInt32BE(v >>> 0, at);
  }
}

function pad(b: Buffer): Buffer {
  return b.length % 4 === 0 ? b : Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]);
}
