import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { LabError } from '../errors/lab-error.ts';

export interface FileToPut {
  /** Path below the target folder, POSIX separators. */
  name: string;
  content: Buffer | string;
  mode?: number;
}

export class ArchiveError extends LabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LAB_ERR_ARCHIVE', message, options);
  }
}

/**
 * Puts files into a container through the Docker API (PUT /containers/{id}/archive): works on an
 * engine anywhere, and on a container not yet started. `dir` must exist in the container.
 */
export async function putFiles(container: Docker.Container, dir: string, files: readonly FileToPut[]): Promise<void> {
  try {
    await container.putArchive(tarOf(files), { path: dir });
  } catch (err) {
    throw new ArchiveError(`could not put ${files.length} file(s) into ${dir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** The files as one tar stream, each with its mode. */
export function tarOf(files: readonly FileToPut[]): Readable {
  const pack = tar.pack();
  for (const f of files) {
    const content = typeof f.content === 'string' ? Buffer.from(f.content) : f.content;
    pack.entry({ name: f.name, mode: f.mode ?? 0o644, mtime: new Date() }, content);
  }
  pack.finalize();
  return Readable.from(pack, { objectMode: false });
}

/** Every regular file below a folder on this machine, ready for putFiles (links and special files left out). */
export async function filesBelow(hostDir: string): Promise<FileToPut[]> {
  const entries = await readdir(hostDir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile());
  return Promise.all(
    files.map(async (e) => {
      const full = path.join(e.parentPath, e.name);
      return { name: path.relative(hostDir, full).split(path.sep).join('/'), content: await readFile(full) };
    }),
  );
}

/**
 * Copies a file or a folder out of a container (GET /containers/{id}/archive) into `hostDir`,
 * under its own base name, as `docker cp` does; works on a stopped or killed container.
 * Returns the host paths written; none when the path does not exist in the container.
 */
export async function copyOut(container: Docker.Container, containerPath: string, hostDir: string): Promise<string[]> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path: containerPath });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return [];
    throw new ArchiveError(`could not copy ${containerPath} out: ${(err as Error).message}`, { cause: err });
  }
  return extractBelow(archive, containerPath, hostDir);
}

/**
 * Writes a tar stream of `containerPath` into `hostDir`. Only regular files and folders come out,
 * and only below `hostDir`: an entry naming `..`, an absolute path or a link is refused, so a
 * container can never write outside the place it was given. Returns the host paths written.
 */
export async function extractBelow(
  archive: NodeJS.ReadableStream,
  containerPath: string,
  hostDir: string,
): Promise<string[]> {
  const root = path.resolve(hostDir);
  const written: string[] = [];
  const extract = tar.extract();
  archive.on('error', (err: Error) => extract.destroy(err));
  archive.pipe(extract);
  for await (const entry of extract) {
    const { name, type } = entry.header;
    const target = path.resolve(root, name);
    if (path.isAbsolute(name) || !(target === root || target.startsWith(root + path.sep))) {
      extract.destroy();
      throw new ArchiveError(`${containerPath}: refused archive entry ${JSON.stringify(name)} (outside the folder)`);
    }
    if (type === 'directory') await mkdir(target, { recursive: true });
    if (type === 'file') {
      await mkdir(path.dirname(target), { recursive: true });
      await writeEntry(entry, target);
      written.push(target);
    }
    entry.resume();
  }
  return written;
}

/** Written beside its name and renamed once complete: a copy cut short never sits under the finished name. */
async function writeEntry(entry: AsyncIterable<unknown>, target: string): Promise<void> {
  const partial = `${target}.part`;
  const file = await open(partial, 'w', 0o644);
  try {
    for await (const chunk of entry) await file.write(chunk as Buffer);
  } catch (err) {
    await file.close();
    await rm(partial, { force: true });
    throw err;
  }
  await file.close();
  await rename(partial, target);
}
