export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  payload: Buffer;
}

export interface UdpHeader {
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

export function decodeTcp(buf: Buffer): TcpHeader | null {
  if (buf.length < 20) return null;
  const dataOffset = (buf[12] >> 4) * 4;
  if (dataOffset < 20 || buf.length < dataOffset) return null;
  const flags = buf[13];
  return {
    srcPort: buf.readUInt16BE(0),
    dstPort: buf.readUInt16BE(2),
    seq: buf.readUInt32BE(4),
    ack: buf.readUInt32BE(8),
    fin: (flags & 0x01) !== 0,
    syn: (flags & 0x02) !== 0,
    rst: (flags & 0x04) !== 0,
    payload: buf.subarray(dataOffset),
  };
}

export function decodeUdp(buf: Buffer): UdpHeader | null {
  if (buf.length < 8) return null;
  const length = buf.readUInt16BE(4);
  // A UDP length below 8 is invalid, and 0 appears for jumbograms: fall back to what was captured.
  const end = length >= 8 ? Math.min(length, buf.length) : buf.length;
  return { srcPort: buf.readUInt16BE(0), dstPort: buf.readUInt16BE(2), payload: buf.subarray(8, end) };
}
