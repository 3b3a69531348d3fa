import { PcapFormatError } from './errors.ts';
import { pcapngClock, type PcapngClock } from './pcapng-clock.ts';
import type { CaptureInterface, PcapRecord, RawCapture } from './raw-capture.ts';

const SECTION_HEADER = 0x0a0d0d0a;
const INTERFACE_DESCRIPTION = 1;
const OBSOLETE_PACKET = 2;
const SIMPLE_PACKET = 3;
const ENHANCED_PACKET = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_IF_NAME = 2;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

interface Interface extends CaptureInterface {
  clock: PcapngClock;
}

/**
 * Reads pcapng (what Wireshark and dumpcap write): sections, each with its own byte order and interfaces;
 * enhanced, simple and obsolete packet blocks; per-interface time resolution and offset. Other blocks
 * (name resolution, statistics, secrets, custom) carry nothing the lab uses and are stepped over.
 */
export function parsePcapng(buf: Buffer, source: string): RawCapture {
  const capture: RawCapture = {
    source,
    format: 'pcapng',
    linkType: -1,
    snapLength: 0,
    interfaces: [],
    records: [],
    truncatedTailBytes: 0,
    truncatedRecords: 0,
    untimedRecords: 0,
  };
  let le = true;
  let interfaces: Interface[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < 12) break;
    const type = buf.readUInt32LE(at);
    if (type === SECTION_HEADER) {
      // The byte-order magic, not the palindromic block type, tells how this section is written.
      le = buf.readUInt32LE(at + 8) === BYTE_ORDER_MAGIC;
      interfaces = [];
    }
    const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    const length = u32(at + 4);
    if (length < 12 || length % 4 !== 0)
      throw new PcapFormatError(
        `${source}: block at byte ${at} has an impossible length ${length}: the file is garbled`,
      );
    if (buf.length - at < length) break;
    if (u32(at + length - 4) !== length)
      throw new PcapFormatError(
        `${source}: block at byte ${at} ends with a length other than its own: the file is garbled`,
      );
    const blockType = u32(at);
    const body = { buf, start: at + 8, end: at + length - 4, le, source, at };
    if (blockType === INTERFACE_DESCRIPTION) {
      const iface = interfaceOf(body);
      interfaces.push(iface);
      capture.interfaces.push({ linkType: iface.linkType, snapLength: iface.snapLength, name: iface.name });
    } else if (blockType === ENHANCED_PACKET || blockType === OBSOLETE_PACKET || blockType === SIMPLE_PACKET) {
      const record = packetOf(
        blockType,
        body,
        interfaces,
        capture.records.length + 1,
        capture.records.at(-1)?.tsUs ?? 0,
      );
      if (record.data.length < record.originalLength) capture.truncatedRecords++;
      if (blockType === SIMPLE_PACKET) capture.untimedRecords++;
      capture.records.push(record);
    }
    at += length;
  }
  capture.truncatedTailBytes = buf.length - at;
  capture.linkType = capture.interfaces[0]?.linkType ?? -1;
  capture.snapLength = capture.interfaces[0]?.snapLength ?? 0;
  return capture;
}

interface Body {
  buf: Buffer;
  start: number;
  end: number;
  le: boolean;
  source: string;
  at: number;
}

function interfaceOf(b: Body): Interface {
  const u16 = (o: number) => (b.le ? b.buf.readUInt16LE(o) : b.buf.readUInt16BE(o));
  const u32 = (o: number) => (b.le ? b.buf.readUInt32LE(o) : b.buf.readUInt32BE(o));
  if (b.end - b.start < 8) throw garbled(b, 'interface description too short');
  const options = readOptions(b, b.start + 8);
  const tsresol = options.get(OPT_IF_TSRESOL)?.[0] ?? null;
  const offset = options.get(OPT_IF_TSOFFSET);
  const name = options.get(OPT_IF_NAME);
  return {
    linkType: u16(b.start),
    snapLength: u32(b.start + 4),
    name: name ? name.toString('utf8').replace(/\0+$/, '') : null,
    clock: pcapngClock(
      tsresol,
      offset && offset.length === 8 ? (b.le ? offset.readBigInt64LE(0) : offset.readBigInt64BE(0)) : 0n,
    ),
  };
}

function packetOf(type: number, b: Body, interfaces: Interface[], frame: number, previousUs: number): PcapRecord {
  const u16 = (o: number) => (b.le ? b.buf.readUInt16LE(o) : b.buf.readUInt16BE(o));
  const u32 = (o: number) => (b.le ? b.buf.readUInt32LE(o) : b.buf.readUInt32BE(o));
  if (type === SIMPLE_PACKET) {
    const iface = interfaceAt(interfaces, 0, b);
    const originalLength = u32(b.start);
    // The captured length is not stored: it is the original cut to the snap length and to the block.
    const room = b.end - b.start - 4;
    const capturedLength = Math.min(originalLength, room, iface.snapLength || Infinity);
    const data = b.buf.subarray(b.start + 4, b.start + 4 + capturedLength);
    return { frame, tsUs: previousUs, data, originalLength, linkType: iface.linkType, interfaceId: 0 };
  }
  const enhanced = type === ENHANCED_PACKET;
  const interfaceId = enhanced ? u32(b.start) : u16(b.start);
  const iface = interfaceAt(interfaces, interfaceId, b);
  const capturedLength = u32(b.start + 12);
  const originalLength = u32(b.start + 16);
  if (b.start + 20 + capturedLength > b.end) throw garbled(b, `packet of ${capturedLength} bytes overruns its block`);
  return {
    frame,
    tsUs: iface.clock(u32(b.start + 4), u32(b.start + 8)),
    data: b.buf.subarray(b.start + 20, b.start + 20 + capturedLength),
    originalLength,
    linkType: iface.linkType,
    interfaceId,
  };
}

function interfaceAt(interfaces: Interface[], id: number, b: Body): Interface {
  const iface = interfaces[id];
  if (!iface) throw garbled(b, `packet names interface ${id}, which the section has not described`);
  return iface;
}

/** Options: code (2 bytes), length (2), value padded to 4 bytes; code 0 ends the list. */
function readOptions(b: Body, from: number): Map<number, Buffer> {
  const u16 = (o: number) => (b.le ? b.buf.readUInt16LE(o) : b.buf.readUInt16BE(o));
  const options = new Map<number, Buffer>();
  for (let at = from; at + 4 <= b.end;) {
    const code = u16(at);
    const length = u16(at + 2);
    if (code === 0) break;
    if (at + 4 + length > b.end) throw garbled(b, `option ${code} overruns its block`);
    if (!options.has(code)) options.set(code, b.buf.subarray(at + 4, at + 4 + length));
    at += 4 + Math.ceil(length / 4) * 4;
  }
  return options;
}

function garbled(b: Body, what: string): PcapFormatError {
  return new PcapFormatError(`${b.source}: block at byte ${b.at}: ${what}: the file is garbled`);
}
