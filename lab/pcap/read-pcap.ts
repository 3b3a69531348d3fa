import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import pcapParser from 'pcap-parser';
import { checkPcapMagic } from './magic.ts';
import { PcapFormatError } from './errors.ts';

export interface PcapRecord {
  /** Capture time in microseconds since the Unix epoch. */
  tsUs: number;
  data: Buffer;
  originalLength: number;
}

export interface RawCapture {
  source: string;
  linkType: number;
  snapLength: number;
  records: PcapRecord[];
  /** Bytes after the last whole record: a tcpdump killed mid-write leaves some. */
  truncatedTailBytes: number;
}

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** Reads a classic microsecond pcap (what `tcpdump -w` writes) from a path or from memory. */
export async function readPcap(input: string | Uint8Array, label?: string): Promise<RawCapture> {
  const source = label ?? (typeof input === 'string' ? input : 'pcap buffer');
  const head = typeof input === 'string' ? await readHead(input) : input.subarray(0, GLOBAL_HEADER);
  checkPcapMagic(head, source);
  const size = typeof input === 'string' ? (await stat(input)).size : input.length;
  const stream = typeof input === 'string' ? input : Readable.from([Buffer.from(input)]);
  return new Promise((resolve, reject) => {
    const capture: RawCapture = { source, linkType: -1, snapLength: 0, records: [], truncatedTailBytes: 0 };
    let consumed = GLOBAL_HEADER;
    let failed = false;
    const parser = pcapParser.parse(stream);
    parser.on('globalHeader', (h) => {
      capture.linkType = h.linkLayerType;
      capture.snapLength = h.snapshotLength;
    });
    parser.on('packet', ({ header, data }) => {
      consumed += RECORD_HEADER + header.capturedLength;
      capture.records.push({
        tsUs: header.timestampSeconds * 1_000_000 + header.timestampMicroseconds,
        data,
        originalLength: header.originalLength,
      });
    });
    parser.on('error', (err) => {
      failed = true;
      reject(new PcapFormatError(`${source}: ${err.message}`));
    });
    // pcap-parser emits 'end' even after an error; the first settle wins.
    parser.on('end', () => {
      if (failed) return;
      capture.truncatedTailBytes = Math.max(0, size - consumed);
      resolve(capture);
    });
  });
}

async function readHead(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(GLOBAL_HEADER);
    const { bytesRead } = await file.read(buf, 0, GLOBAL_HEADER, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
