import type { Endpoint } from './endpoint.ts';

/** What the decoder makes of a capture's frames: the packets the timeline reads. */
export interface UdpPacket {
  kind: 'udp';
  /** Frame number in the capture file; for a reassembled packet, the fragment that completed it (as Wireshark shows it). */
  frame: number;
  /** For a reassembled packet, the time of the fragment that completed it. */
  tsUs: number;
  src: Endpoint;
  dst: Endpoint;
  payload: Buffer;
  /** 1 for an unfragmented packet. */
  fragments: number;
  /** The download datagram this payload decodes as, if any. */
  datagram: { seq: number; dataLength: number } | null;
}

export interface TcpSegment {
  kind: 'tcp';
  frame: number;
  tsUs: number;
  src: Endpoint;
  dst: Endpoint;
  seq: number;
  ack: number;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  payloadLength: number;
}

export type CapturePacket = UdpPacket | TcpSegment;
