import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { constants, copyFile, link, rm, stat } from 'node:fs/promises';
import { SaveExistsError, SaveFailedError, reasonOf } from './errors.ts';

/**
 * Moves the finished temp file to `target` without ever replacing an existing file:
 * link() fails atomically when the name is taken, where a rename would overwrite it.
 */
export async function saveDownload(tempPath: string, target: string): Promise<void> {
  try {
    await link(tempPath, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new SaveExistsError(target);
    // Another filesystem, or one without hard links: copy, still refusing to overwrite.
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS')
      throw new SaveFailedError(target, reasonOf(error));
    try {
      await copyFile(tempPath, target, constants.COPYFILE_EXCL);
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') throw new SaveExistsError(target);
      throw new SaveFailedError(target, reasonOf(copyError));
    }
  }
  await rm(tempPath, { force: true });
}

/** Size and sha256 of a file, read as a stream so a large file costs no memory. */
export async function describeFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { bytes: (await stat(file)).size, sha256: hash.digest('hex') };
}
