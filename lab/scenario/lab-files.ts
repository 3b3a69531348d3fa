import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../engine/ensure-lab-image.ts';

/**
 * The folder the server offers in one scenario: the project's `files/` plus any
 * generated file. Generated content is a pure function of name and size, so a
 * replay serves the very same bytes. It lives in the scenario's results, beside
 * the downloaded copies, so that originals and copies can be compared afterwards.
 */
export class LabFiles {
  private constructor(readonly dir: string) {}

  static async create(dir: string, extra: Record<string, number> = {}): Promise<LabFiles> {
    await mkdir(dir, { recursive: true });
    await cp(path.join(REPO_ROOT, 'files'), dir, { recursive: true });
    for (const [name, size] of Object.entries(extra)) await writeFile(path.join(dir, name), patterned(name, size));
    return new LabFiles(dir);
  }

  path(name: string): string {
    return path.join(this.dir, name);
  }

  async size(name: string): Promise<number> {
    return (await stat(this.path(name))).size;
  }

  async sha256(name: string): Promise<string> {
    return createHash('sha256')
      .update(await readFile(this.path(name)))
      .digest('hex');
  }
}

function patterned(name: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(name).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}
