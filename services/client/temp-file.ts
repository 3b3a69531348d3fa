import { randomBytes } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TempFileError, reasonOf } from './errors.ts';

/**
 * The download's bytes on disk while it runs: each datagram is written at its own offset,
 * so nothing but the bitmap of arrived seqs stays in memory. It lives next to the target
 * (`.<name>.<random>.part`) so that saving is a rename on the same filesystem.
 */
export class TempFile {
  private writes = new Set<Promise<unknown>>();
  private failure: unknown = null;

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

  /** Starts a positional write; `flush` waits for all of them and reports the first failure. */
  write(data: Uint8Array, offset: number): void {
    const pending = this.handle.write(data, 0, data.length, offset).catch((error: unknown) => {
      this.failure ??= error;
    });
    this.writes.add(pending);
    void pending.finally(() => this.writes.delete(pending));
  }

  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
    if (this.failure !== null) throw this.failure;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.writes]);
    await this.handle.close().catch(() => undefined);
  }

  /** Closes and deletes the file; safe to call more than once. */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
  }
}
