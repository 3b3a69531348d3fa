import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { bundledProgram } from '../../build/program-bundles.ts';
import { REPO } from '../processes.ts';
import type { StartedEmulatedPath } from './emulated-path.ts';
import { LineWatcher } from './lines.ts';

const PORT = 55000;

/** The real server program in the path's server namespace. */
export class ProjectServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly log: LineWatcher,
  ) {}

  static async start(
    net: StartedEmulatedPath,
    filesDir: string,
    extraArgs: string[],
    profileDir?: string,
  ): Promise<ProjectServer> {
    const child = net.server.spawn(process.execPath, [
      ...profiling(profileDir),
      ...bundledProgram('server', REPO),
      '--host',
      net.serverIp,
      '--ports',
      `${PORT}-${PORT}`,
      '--files',
      filesDir,
      ...extraArgs,
    ]);
    const log = new LineWatcher(child.stderr!, child);
    child.stdout!.resume();
    await log.waitFor(/ listening /, 20_000);
    return new ProjectServer(child, log);
  }

  /** What the server logged when the download to `clientIp` ended, e.g. `complete, 12 resent`. */
  async resentTo(clientIp: string, from: number): Promise<number | null> {
    const line = await this.log
      .waitFor(new RegExp(` ${clientIp.replace(/\./g, '\\.')}:\\d+ download-end .* complete, \\d+ resent`), 5_000, from)
      .catch(() => null);
    const m = line ? / complete, (\d+) resent/.exec(line) : null;
    return m ? Number(m[1]) : null;
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

export interface ProjectDownload {
  /** From typing the file name to `Download complete`. */
  ms: number;
  /** Datagrams the server resent, from its log. */
  resent: number | null;
  savedAs: string;
}

/**
 * The real client program in the client namespace, driven through its stdin as the lab does:
 * connect, download, save. Resolves when the file is saved; rejects after `timeoutMs`.
 */
export async function projectDownload(
  net: StartedEmulatedPath,
  server: ProjectServer,
  opts: {
    file: string;
    clientIndex: number;
    downloadsDir: string;
    clientArgs: string[];
    timeoutMs: number;
    name: string;
    profileDir?: string;
    /** Awaited at the file-name prompt, the client started and logged in: lets a row start several downloads at once. */
    beforeFileName?: () => Promise<void>;
    /** Called when the client says `Download complete`, before it saves. */
    onComplete?: () => void;
  },
): Promise<ProjectDownload> {
  const clientIp = net.clientIps[opts.clientIndex];
  const child = net.client.spawn(process.execPath, [
    ...profiling(opts.profileDir),
    ...bundledProgram('client', REPO),
    '--bind',
    clientIp,
    '--server',
    net.serverIp,
    '--port',
    String(PORT),
    '--name',
    opts.name,
    '--downloads',
    opts.downloadsDir,
    ...opts.clientArgs,
  ]);
  const out = new LineWatcher(child.stdout!, child);
  child.stderr!.resume();
  try {
    await out.waitFor(/^Connected to /, 20_000);
    child.stdin!.write('connect\n');
    await out.waitFor(/^connected$/, 10_000);
    child.stdin!.write('download\n');
    await out.waitFor(/^File name: ?$/, 10_000);
    await opts.beforeFileName?.();
    const logFrom = server.log.lines.length;
    const started = performance.now();
    child.stdin!.write(`${opts.file}\n`);
    await out.waitFor(/^Download complete/, opts.timeoutMs);
    const ms = performance.now() - started;
    opts.onComplete?.();
    const savedAs = `${opts.name}-${opts.file}`;
    child.stdin!.write(`${savedAs}\n`);
    await out.waitFor(/^Saved /, 60_000);
    const resent = await server.resentTo(clientIp, logFrom);
    child.stdin!.end();
    return { ms, resent, savedAs: path.join(opts.downloadsDir, savedAs) };
  } finally {
    await stopChild(child);
  }
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/** `--cpu-prof` for a program, so that a bench run shows where its CPU went (open the .cpuprofile in Chrome DevTools). */
function profiling(dir: string | undefined): string[] {
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}
