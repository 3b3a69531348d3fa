export { readCapture, decodeCapture } from './decode-capture.ts';
export type { DecodedCapture } from './decode-capture.ts';
export type { UdpPacket } from './packets.ts';
export { readPcap } from './read-pcap.ts';
export type { ControlLine } from './tcp-stream.ts';
export { endpointMatches } from './endpoint.ts';
export type { Endpoint } from './endpoint.ts';
export { PcapTruncatedError } from './errors.ts';
