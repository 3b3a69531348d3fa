import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DockerUnavailableError, ImageBuildError } from './engine-errors.ts';
import { LAB_IMAGE } from './labels.ts';

const run = promisify(execFile);
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

/** What the scripts need to know of an engine: how the docker CLI reaches it. */
export interface CliReachable {
  url: string;
  cliEnv(): NodeJS.ProcessEnv;
}

/**
 * Makes sure the engine answers (starting this machine's own engine if none does) and holds the
 * lab image (tools only; a locally made base where no registry is reachable). The scripts are the
 * single source of truth, so CI and the TS harness build the same image. Returns its tag.
 */
export async function ensureLabImage(engine: CliReachable): Promise<string> {
  const env = { ...engine.cliEnv(), LAB_IMAGE };
  try {
    await run('bash', [`${REPO_ROOT}/scripts/ensure-docker.sh`], { timeout: 300_000, env });
  } catch (err) {
    throw new DockerUnavailableError(`${engine.url}: ${stderrOf(err)}`, { cause: err });
  }
  try {
    const { stdout, stderr } = await run('bash', [`${REPO_ROOT}/scripts/ensure-base-image.sh`], {
      timeout: 900_000,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    // The script's one-line notice (base built locally, and why) is for the user.
    if (stderr.trim()) process.stderr.write(stderr);
    return stdout.trim().split('\n').at(-1) ?? LAB_IMAGE;
  } catch (err) {
    throw new ImageBuildError(stderrOf(err));
  }
}

function stderrOf(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(err)).split('\n').slice(-5).join(' | ');
}
