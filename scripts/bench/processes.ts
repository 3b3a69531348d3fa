import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Program } from '../../lab/engine/app-bundle.ts';
import { bundledProgram } from '../build/program-bundles.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Starts a program from its bundle (`writeProgramBundles` first), as `npm run server` and
 * `npm run client` do, in this very process's Node, so its pid is the program's own.
 */
export function startProgram(program: Program, args: string[], opts: { cwd?: string } = {}): ChildProcess {
  // BENCH_CPU_PROF=DIR: each program writes a .cpuprofile there (open it in Chrome DevTools) to see where its CPU went.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  return spawn(process.execPath, [...profile, ...bundledProgram(program, REPO), ...args], {
    cwd: opts.cwd ?? REPO,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Peak resident set size (VmHWM) of a live process, in bytes. */
export async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(kb) * 1024;
}

/** Resolves with the first stdout line matching `pattern`; rejects if the program exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const hit = lines.find((l) => pattern.test(l));
      if (hit !== undefined) finish(undefined, hit);
    };
    const onExit = (code: number | null) => finish(new Error(`program exited (${code}) before ${pattern}`));
    const finish = (error?: Error, line?: string) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(line!);
    };
    child.stdout!.on('data', onData);
    child.on('exit', onExit);
  });
}
