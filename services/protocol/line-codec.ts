/**
 * Splits a TCP byte stream into `\n`-terminated lines (a trailing `\r` is dropped).
 * Holds at most `maxLineBytes` of one unfinished line: an overlong line is reported
 * once and the rest of it, up to its newline, is skipped, so a peer that never sends
 * a newline cannot make the buffer grow.
 */
export const MAX_LINE_BYTES = 65_536;

export type LineEvent = { kind: 'line'; text: string } | { kind: 'overlong'; bytes: number };

const NEWLINE = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder('utf-8', { fatal: false });

export class LineDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private skipping = false;
  private skipped = 0;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  push(chunk: Uint8Array): LineEvent[] {
    const events: LineEvent[] = [];
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (data.length > 0) {
      const nl = data.indexOf(NEWLINE);
      const piece = nl === -1 ? data : data.subarray(0, nl);
      if (this.skipping) {
        this.skipped += piece.length;
      } else if (this.buffered + piece.length > this.maxLineBytes) {
        this.skipping = true;
        this.skipped = this.buffered + piece.length;
        this.chunks = [];
        this.buffered = 0;
        events.push({ kind: 'overlong', bytes: this.skipped });
      } else {
        // Copy: the socket may reuse its buffer after we return.
        this.chunks.push(Buffer.from(piece));
        this.buffered += piece.length;
      }
      if (nl === -1) break;
      if (this.skipping) {
        this.skipping = false;
        this.skipped = 0;
      } else {
        events.push({ kind: 'line', text: this.takeLine() });
      }
      data = data.subarray(nl + 1);
    }
    return events;
  }

  /** Bytes held for the unfinished line. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** The unfinished line held so far, decoded: what a stream that ends without a newline leaves. */
  get pendingText(): string {
    return decoder.decode(Buffer.concat(this.chunks, this.buffered));
  }

  private takeLine(): string {
    let line = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    return decoder.decode(line);
  }
}

export function encodeLine(text: string): Buffer {
  return Buffer.from(`${text}\n`, 'utf8');
}
