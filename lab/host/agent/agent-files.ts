import path from 'node:path';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ArchiveError, extractBelow, tarOf, type FileToPut } from '../archive.ts';
import type { AgentLink } from './agent-link.ts';

// The engine's archive API mounts the container's filesystem for each call, about a quarter of
// a CPU-second; the host's own `tar`, run by its agent, costs a fork.

/**
 * Copies a file or folder out of a running host through its agent, with the same checks as
 * copyOut; undefined when the host is gone, for the caller to ask the engine instead.
 */
export async function copyOutViaAgent(
  link: AgentLink,
  containerPath: string,
  hostDir: string,
): Promise<string[] | undefined> {
  const archive = new PassThrough();
  const err: Buffer[] = [];
  const dir = path.posix.dirname(containerPath);
  const name = path.posix.basename(containerPath);
  // Extracted as it comes, so a large capture never sits in memory whole.
  const extracted = extractBelow(archive, containerPath, hostDir).then(
    (written) => ({ written }),
    (error: unknown) => {
      archive.resume();
      return { error };
    },
  );
  const tar = link.start(['tar', '-C', dir, '-cf', '-', name], {
    stdout: (b) => archive.write(b),
    stderr: (b) => err.push(b),
  });
  const code = await tar.exitCode;
  archive.end();
  const result = await extracted;
  if (link.gone) return undefined;
  const stderr = Buffer.concat(err).toString('utf8');
  // 1: a file changed while tar read it; what it read is still a whole archive.
  if (code !== 0 && !(code === 1 && /file changed as we read it/.test(stderr))) {
    if (/No such file/i.test(stderr)) return [];
    throw new ArchiveError(`could not copy ${containerPath} out: tar exited ${code}: ${stderr.trim()}`);
  }
  if ('error' in result) throw result.error;
  return result.written;
}

/** Puts files into a folder of a running host through its agent (the folder must exist). */
export async function putFilesViaAgent(link: AgentLink, dir: string, files: readonly FileToPut[]): Promise<void> {
  const err: Buffer[] = [];
  const tar = link.start(
    ['tar', '-x', '-C', dir, '-f', '-'],
    { stdout: () => undefined, stderr: (b) => err.push(b) },
    { stdin: true },
  );
  tar.write(await buffer(tarOf(files)));
  tar.end();
  const code = await tar.exitCode;
  if (code !== 0)
    throw new ArchiveError(
      `could not put ${files.length} file(s) into ${dir}: tar exited ${code}: ${Buffer.concat(err).toString('utf8').trim()}`,
    );
}
