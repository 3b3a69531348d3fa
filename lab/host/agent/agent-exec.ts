import { ExecFailedError, ExecTimeoutError, type ExecOptions, type ExecResult } from '../exec.ts';
import type { AgentLink } from './agent-link.ts';

/** Runs cmd to completion through a host's agent; a non-zero exit is data, not an error. */
export async function runOnAgent(
  link: AgentLink,
  label: string,
  cmd: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const proc = link.start(cmd, { stdout: (b) => out.push(b), stderr: (b) => err.push(b) }, options);
  let timer: NodeJS.Timeout | undefined;
  try {
    const exitCode = await Promise.race([
      proc.exitCode,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          proc.kill('SIGKILL');
          reject(new ExecTimeoutError(label, cmd, timeoutMs));
        }, timeoutMs);
      }),
    ]);
    return { exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  } finally {
    clearTimeout(timer);
  }
}

/** Like runOnAgent, but a non-zero exit throws with the command's stderr. */
export async function runOnAgentOk(
  link: AgentLink,
  label: string,
  cmd: readonly string[],
  options?: ExecOptions,
): Promise<ExecResult> {
  const result = await runOnAgent(link, label, cmd, options);
  if (result.exitCode !== 0) throw new ExecFailedError(cmd, result);
  return result;
}
