import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DockerUnavailableError, ImageBuildError } from './engine-errors.ts';
import { LAB_IMAGE } from './labels.ts';

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
    await runScript('ensure-docker.sh', env, 300_000);
  } catch (err) {
    throw new DockerUnavailableError(`${engine.url}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const stdout = await runScript('ensure-base-image.sh', env, 900_000);
    return stdout.trim().split('\n').at(-1) || LAB_IMAGE;
  } catch (err) {
    throw new ImageBuildError((err as Error).message);
  }
}

/**
 * Runs one of scripts/ and returns its stdout. Its stderr goes to ours as it comes (a first run
 * installs an engine and builds a base for minutes, and says so); its last lines make the error.
 */
function runScript(name: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [`${REPO_ROOT}/scripts/${name}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
      process.stderr.write(b);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(stdout);
      const tail = stderr.trim().split('\n').slice(-5).join(' | ');
      reject(new Error(`${name} ${signal ? `was stopped (${signal})` : `exited ${code}`}${tail ? `: ${tail}` : ''}`));
    });
  });
}
