export { readCapture, decodeCapture } from './decode-capture.ts';
export type { DecodedCapture, CaptureStats } from './decode-capture.ts';
export type { CapturePacket, UdpPacket, TcpSegment } from './packets.ts';
export { readPcap } from './read-pcap.ts';
export type { RawCapture, PcapRecord, CaptureInterface } from './read-pcap.ts';
export type { ControlLine, TcpDirection } from './tcp-stream.ts';
export { formatEndpoint, endpointMatches } from './endpoint.ts';
export type { Endpoint } from './endpoint.ts';
export { CaptureUnreadableError, PcapFormatError, PcapLinkTypeError, PcapTruncatedError } from './errors.ts';
