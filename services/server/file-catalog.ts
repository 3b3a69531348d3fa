import { open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export interface OpenedFile {
  handle: FileHandle;
  size: number;
}

// A name that could not travel in a `files|…` line, or that names something outside the folder.
const UNLISTABLE = /[|/\\\u0000-\u001f\u007f]/u;

/**
 * The files a server offers: regular files directly in one folder. Anything that
 * resolves outside the folder (`..`, absolute paths, symlinks leading out) is treated
 * as not there, so it can be neither listed nor downloaded.
 */
export class FileCatalog {
  private rootReal: Promise<string>;

  constructor(readonly root: string) {
    this.rootReal = realpath(root);
  }

  async list(): Promise<string[]> {
    const entries = await readdir(this.root);
    const names: string[] = [];
    for (const name of entries.sort()) {
      if (await this.resolve(name)) names.push(name);
    }
    return names;
  }

  /** Opens a listed file for reading, or returns null when the name is not one of them. */
  async open(name: string): Promise<OpenedFile | null> {
    const real = await this.resolve(name);
    if (!real) return null;
    const handle = await open(real, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new Error('not a regular file');
      return { handle, size: info.size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private async resolve(name: string): Promise<string | null> {
    if (name === '' || name === '.' || name === '..' || UNLISTABLE.test(name)) return null;
    try {
      const root = await this.rootReal;
      const real = await realpath(path.join(root, name));
      if (path.dirname(real) !== root) return null;
      return (await stat(real)).isFile() ? real : null;
    } catch {
      return null;
    }
  }
}
