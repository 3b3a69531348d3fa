import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FilesFixture {
  /** Holds `files/` (what the server offers) and, beside it, what it must never hand out. */
  root: string;
  files: string;
  remove(): Promise<void>;
}

/**
 * A files folder with the traps a path check must see through: a secret next to the folder,
 * a symlink inside leading to it, a symlink to a folder outside, a subfolder, and a link
 * that stays inside (which is allowed).
 */
export async function makeFilesFixture(
  prefix: string,
  extra: Record<string, Buffer | string> = {},
): Promise<FilesFixture> {
  const root = await mkdtemp(path.join(tmpdir(), `${prefix}-`));
  const files = path.join(root, 'files');
  await mkdir(path.join(files, 'sub'), { recursive: true });
  await mkdir(path.join(root, 'outside'));
  await writeFile(path.join(root, 'secret.txt'), 'outside the files folder\n');
  await writeFile(path.join(root, 'outside', 'deep.txt'), 'also outside\n');
  await writeFile(path.join(files, 'q.txt'), 'hello\n');
  await writeFile(path.join(files, 'sub', 'inner.txt'), 'in a subfolder\n');
  await symlink(path.join(root, 'secret.txt'), path.join(files, 'leak.txt'));
  await symlink(path.join(root, 'outside'), path.join(files, 'outdir'));
  await symlink(path.join(files, 'leak.txt'), path.join(files, 'chain.txt'));
  await symlink(path.join(files, 'q.txt'), path.join(files, 'alias.txt'));
  for (const [name, data] of Object.entries(extra)) await writeFile(path.join(files, name), data);
  return { root, files, remove: () => rm(root, { recursive: true, force: true }) };
}
