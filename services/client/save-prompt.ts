import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ClientError, reasonOf } from './errors.ts';
import { describeFile, saveDownload } from './save-download.ts';

export interface SaveDeps {
  ask: (prompt: string, signal: AbortSignal) => Promise<string | null>;
  print: (line: string) => void;
  downloadsDir: string;
  signal?: AbortSignal;
}

export type SaveOutcome = 'saved' | 'discarded' | 'aborted';

/** The end-of-download check: the server's last byte against the one received. */
export function lastByteReport(server: number | null | undefined, mine: number | null): string {
  const show = (b: number | null) => (b === null ? 'none' : String(b));
  if (server === undefined)
    return `Warning: the server did not confirm the end of the download; last byte received: ${show(mine)}.`;
  if (server === mine) return `Last byte matches: ${show(mine)}.`;
  return `Warning: last byte mismatch: the server says ${show(server)}, received ${show(mine)}.`;
}

/**
 * Asks for a name until the file is saved; a blank answer (or end of input) discards it.
 * `verifiedSha256`: the digest the file was verified with, told the user as it is; without it the
 * saved file is hashed (a second pass that, on a 1 GiB file, took seconds and 50 MiB of buffers).
 */
export async function saveLoop(deps: SaveDeps, tempPath: string, verifiedSha256?: string): Promise<SaveOutcome> {
  const signal = deps.signal ?? new AbortController().signal;
  for (;;) {
    const answer = (await deps.ask('Save as: ', signal))?.trim() ?? '';
    if (signal.aborted) return 'aborted';
    if (answer === '') {
      deps.print('Download discarded.');
      return 'discarded';
    }
    const target = path.resolve(deps.downloadsDir, answer);
    try {
      await saveDownload(tempPath, target);
    } catch (error) {
      deps.print(error instanceof ClientError ? error.message : `Can't save as ${target}: ${reasonOf(error)}`);
      continue;
    }
    const { bytes, sha256 } = verifiedSha256
      ? { bytes: (await stat(target)).size, sha256: verifiedSha256 }
      : await describeFile(target);
    deps.print(`Saved ${bytes} bytes as ${target} (sha256 ${sha256}).`);
    return 'saved';
  }
}
