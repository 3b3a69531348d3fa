import { randomBytes } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TempFileError, reasonOf } from './errors.ts';

/**
 * Datagrams arrive mostly in order: they are gathered in a window of this many bytes of the
 * file and written with one call, instead of one write (and one promise) per datagram.
 */
const WINDOW_BYTES = 512 * 1024;

interface PendingWrite {
  start: number;
  end: number;
  done: Promise<unknown>;
}

/**
 * The download's bytes on disk while it runs, written at their offsets, so nothing but the
 * bitmap of arrived seqs stays in memory. It lives next to the target (`.<name>.<random>.part`)
 * so that saving is a rename on the same filesystem.
 *
 * Writes are gathered in a window of the file. When a datagram lands past the window, the
 * window is written whole, holes included (what a hole holds on disk is overwritten when its
 * datagram arrives, by a write ordered after the window's); a datagram before the window (a
 * resend) is written on its own.
 */
export class TempFile {
  private readonly writes = new Set<PendingWrite>();
  private failure: unknown = null;
  private window: { start: number; filled: number; buffer: Buffer } | null = null;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(dir: string, fileName: string): Promise<TempFile> {
    const base = path.basename(fileName).replace(/[^\w.-]/g, '_') || 'download';
    const file = path.join(dir, `.${base}.${randomBytes(6).toString('hex')}.part`);
    try {
      return new TempFile(file, await open(file, 'wx'));
    } catch (error) {
      throw new TempFileError(dir, reasonOf(error));
    }
  }

  /** Puts `data` at `offset`; `flush` waits for every write and reports the first failure. */
  write(data: Uint8Array, offset: number): void {
    const end = offset + data.length;
    let window = this.window;
    if (window && (offset < window.start || end > window.start + WINDOW_BYTES)) {
      if (offset < window.start) return this.writeAlone(data, offset);
      this.writeWindow();
      window = null;
    }
    window ??= this.window = { start: offset, filled: 0, buffer: Buffer.allocUnsafe(WINDOW_BYTES) };
    window.buffer.set(data, offset - window.start);
    window.filled = Math.max(window.filled, end - window.start);
  }

  async flush(): Promise<void> {
    this.writeWindow();
    while (this.writes.size > 0) await Promise.all([...this.writes].map((w) => w.done));
    if (this.failure !== null) throw this.failure;
  }

  /** What the file holds at `offset` now, every write so far included. */
  async read(offset: number, length: number): Promise<Buffer> {
    await this.flush();
    const { bytesRead, buffer } = await this.handle.read(Buffer.alloc(length), 0, length, offset);
    return buffer.subarray(0, bytesRead);
  }

  async close(): Promise<void> {
    this.window = null;
    await Promise.allSettled([...this.writes].map((w) => w.done));
    await this.handle.close().catch(() => undefined);
  }

  /** Closes and deletes the file; safe to call more than once. */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
  }

  private writeWindow(): void {
    const window = this.window;
    if (!window) return;
    this.window = null;
    this.track(window.start, window.start + window.filled, [], () =>
      this.handle.write(window.buffer, 0, window.filled, window.start),
    );
  }

  // After every pending write it overlaps: a window written later must not land over it.
  private writeAlone(data: Uint8Array, offset: number): void {
    const end = offset + data.length;
    const before = [...this.writes].filter((w) => w.start < end && offset < w.end).map((w) => w.done);
    const copy = Buffer.from(data);
    this.track(offset, end, before, () => this.handle.write(copy, 0, copy.length, offset));
  }

  private track(start: number, end: number, after: Promise<unknown>[], write: () => Promise<unknown>): void {
    const done = Promise.all(after)
      .then(write)
      .catch((error: unknown) => {
        this.failure ??= error;
      });
    const pending = { start, end, done };
    this.writes.add(pending);
    void done.finally(() => this.writes.delete(pending));
  }
}
