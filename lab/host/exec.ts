import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { LabError } from '../errors/lab-error.ts';
import { demux } from './demux.ts';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  timeoutMs?: number;
  env?: string[];
  workingDir?: string;
}

export class ExecTimeoutError extends LabError {
  constructor(container: string, cmd: readonly string[], timeoutMs: number) {
    super('LAB_ERR_EXEC_TIMEOUT', `${container}: \`${cmd.join(' ')}\` still running after ${timeoutMs} ms`);
  }
}

export class ExecFailedError extends LabError {
  constructor(
    cmd: readonly string[],
    readonly result: ExecResult,
  ) {
    super(
      'LAB_ERR_EXEC_FAILED',
      `\`${cmd.join(' ')}\` exited ${result.exitCode}: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
}

/**
 * Runs cmd to completion in a container by `docker exec`; a non-zero exit is data, not an error.
 * For a container that is no lab host: a lab host runs commands through its agent (agent/).
 */
export async function execIn(
  container: Docker.Container,
  cmd: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const exec = await container.exec({
    Cmd: [...cmd],
    AttachStdout: true,
    AttachStderr: true,
    Env: options.env,
    WorkingDir: options.workingDir,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (b: Buffer) => out.push(b));
  const stderr = new PassThrough().on('data', (b: Buffer) => err.push(b));
  demux(container, stream, stdout, stderr);
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve).on('close', resolve).on('error', reject);
      timer = setTimeout(() => {
        stream.destroy();
        reject(new ExecTimeoutError(container.id.slice(0, 12), cmd, timeoutMs));
      }, timeoutMs);
    });
  } finally {
    clearTimeout(timer);
  }
  return {
    exitCode: await exitCodeOf(exec),
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** The stream can end a moment before the daemon records the exit code. */
async function exitCodeOf(exec: Docker.Exec, waitMs = 5_000): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    if (Date.now() > deadline) return -1;
    await new Promise((r) => setTimeout(r, 20));
  }
}
