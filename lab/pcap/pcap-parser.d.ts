// pcap-parser 0.2 ships no types; this declares only what lab/pcap/read-pcap.ts uses.
declare module 'pcap-parser' {
  import type { EventEmitter } from 'node:events';
  import type { Readable } from 'node:stream';

  export interface PcapGlobalHeader {
    magicNumber: number;
    majorVersion: number;
    minorVersion: number;
    gmtOffset: number;
    timestampAccuracy: number;
    snapshotLength: number;
    linkLayerType: number;
  }

  export interface PcapPacketHeader {
    timestampSeconds: number;
    timestampMicroseconds: number;
    capturedLength: number;
    originalLength: number;
  }

  export interface PcapPacket {
    header: PcapPacketHeader;
    data: Buffer;
  }

  export interface PcapParser extends EventEmitter {
    on(event: 'globalHeader', listener: (header: PcapGlobalHeader) => void): this;
    on(event: 'packet', listener: (packet: PcapPacket) => void): this;
    on(event: 'end', listener: () => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
  }

  export function parse(input: string | Readable): PcapParser;

  const pcapParser: { parse: typeof parse };
  export default pcapParser;
}
