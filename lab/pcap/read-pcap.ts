import { readFile } from 'node:fs/promises';
import { captureFormat } from './capture-format.ts';
import { parseClassicPcap } from './classic-pcap.ts';
import { messageOf } from '../errors/lab-error.ts';
import { CaptureUnreadableError } from './errors.ts';
import { parsePcapng } from './pcapng.ts';
import type { RawCapture } from './raw-capture.ts';

export type { PcapRecord, RawCapture } from './raw-capture.ts';

/**
 * Reads a capture file, from a path or from memory: classic pcap (microsecond or nanosecond, either
 * byte order: what `tcpdump -w` writes) or pcapng (Wireshark's and dumpcap's default).
 */
export async function readPcap(input: string | Uint8Array, label?: string): Promise<RawCapture> {
  const source = label ?? (typeof input === 'string' ? input : 'pcap buffer');
  const buf =
    typeof input === 'string'
      ? await readFile(input).catch((err: unknown) => {
          const code = (err as NodeJS.ErrnoException).code;
          throw new CaptureUnreadableError(source, code === 'ENOENT' ? 'no such file' : messageOf(err));
        })
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const format = captureFormat(buf, source);
  return format.kind === 'pcap' ? parseClassicPcap(buf, source, format) : parsePcapng(buf, source);
}
