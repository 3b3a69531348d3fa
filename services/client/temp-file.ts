import { randomBytes } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TempFileError, reasonOf } from './errors.ts';

/**
 * Datagrams arrive mostly in order: they are gathered in a window of this many bytes of the
 * file and written with one call, instead of one write (and one promise) per datagram.
 */
const WINDOW_BYTES = 512 * 1024;
/**
 * Written windows are kept for reuse, up to this many: a fresh 512 KiB buffer per window lives
 * outside the JS heap until the garbage collector comes round to it, and on a fast download
 * that is a hundred of them a second, which is what a client's memory grew with.
 */
const SPARE_WINDOWS = 4;

interface Run {
  start: number;
  end: number;
}

interface Window {
  start: number;
  filled: number;
  buffer: Buffer;
  /** The byte ranges given to the window, in file offsets, merged where they touch. */
  runs: Run[];
}

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
 * resend) is written on its own. Holes are written only past every byte written before: a
 * window that starts lower (after a flush, when seqs are fetched again) writes just the runs of
 * bytes it was given, so it never overwrites a datagram already held with a hole's garbage.
 */
export class TempFile {
  private readonly writes = new Set<PendingWrite>();
  /** The first write's failure, as it came (an fs error keeps its code). */
  private failure: Error | null = null;
  private window: Window | null = null;
  /** Every byte below this offset may hold a datagram on disk already. */
  private highWater = 0;
  private readonly spare: Buffer[] = [];

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(dir: string, fileName: string): Promise<TempFile> {
    const base = path.basename(fileName).replace(/[^\w.-]/g, '_') || 'download';
    const file = path.join(dir, `.${base}.${randomBytes(6).toString('hex')}.part`);
    try {
      return new TempFile(file, await open(file, 'wx+'));
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
    window ??= this.window = {
      start: offset,
      filled: 0,
      buffer: this.spare.pop() ?? Buffer.allocUnsafe(WINDOW_BYTES),
      runs: [],
    };
    window.buffer.set(data, offset - window.start);
    window.filled = Math.max(window.filled, end - window.start);
    addRun(window.runs, offset, end);
  }

  async flush(): Promise<void> {
    this.writeWindow();
    while (this.writes.size > 0) await Promise.all([...this.writes].map((w) => w.done));
    if (this.failure !== null) throw this.failure;
  }

  /**
   * What the file holds at `offset` now, every write so far included: from the window when it
   * holds those bytes, else from disk once the writes that overlap them are done (the window
   * stays, so reading in the middle of a download costs the writes nothing). `into`: a buffer of
   * at least `length` bytes to read into, for a caller that reads a lot and keeps nothing.
   */
  async read(offset: number, length: number, into?: Buffer): Promise<Buffer> {
    const end = offset + length;
    const window = this.window;
    if (window?.runs.some((r) => r.start <= offset && end <= r.end)) {
      const held = window.buffer.subarray(offset - window.start, end - window.start);
      if (!into) return Buffer.from(held);
      held.copy(into);
      return into.subarray(0, length);
    }
    // Part of the range is only in the window: it goes to disk first, so the read sees all of it.
    if (window && window.start < end && offset < window.start + window.filled) this.writeWindow();
    for (let pending = this.overlapping(offset, end); pending.length > 0; pending = this.overlapping(offset, end))
      await Promise.all(pending);
    if (this.failure !== null) throw this.failure;
    const { bytesRead, buffer } = await this.handle.read(into ?? Buffer.alloc(length), 0, length, offset);
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
    const blocks =
      window.start >= this.highWater ? [{ start: window.start, end: window.start + window.filled }] : window.runs;
    const written = blocks.map(({ start, end }) => {
      const at = start - window.start;
      return this.track(start, end, () => this.handle.write(window.buffer, at, end - start, start));
    });
    void Promise.all(written).then(() => {
      if (this.spare.length < SPARE_WINDOWS) this.spare.push(window.buffer);
    });
  }

  private writeAlone(data: Uint8Array, offset: number): void {
    const copy = Buffer.from(data);
    void this.track(offset, offset + copy.length, () => this.handle.write(copy, 0, copy.length, offset));
  }

  private overlapping(start: number, end: number): Promise<unknown>[] {
    return [...this.writes].filter((w) => w.start < end && start < w.end).map((w) => w.done);
  }

  // After every pending write it overlaps, so that the bytes given last are the ones that stay.
  private track(start: number, end: number, write: () => Promise<unknown>): Promise<unknown> {
    const after = this.overlapping(start, end);
    this.highWater = Math.max(this.highWater, end);
    const done = Promise.all(after)
      .then(write)
      .catch((error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      });
    const pending = { start, end, done };
    this.writes.add(pending);
    void done.finally(() => this.writes.delete(pending));
    return done;
  }
}

/** Adds [start, end) to runs kept sorted and merged; in-order datagrams only ever extend the last run. */
function addRun(runs: Run[], start: number, end: number): void {
  const last = runs.at(-1);
  if (last && last.end === start) return void (last.end = end);
  if (!last || last.end < start) return void runs.push({ start, end });
  runs.push({ start, end });
  runs.sort((a, b) => a.start - b.start);
  let kept = 0;
  for (const run of runs) {
    const prev = runs[kept - 1];
    if (prev && run.start <= prev.end) prev.end = Math.max(prev.end, run.end);
    else runs[kept++] = run;
  }
  runs.length = kept;
}
