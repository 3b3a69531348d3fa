import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export class ChildServerError extends Error {
  readonly code = 'TEST_ERR_CHILD_SERVER';
}

/**
 * The real server program as a child process (`npx tsx services/server/main.ts …`), as an
 * operator runs it. `pid` is the server's own process, read from its `listening` log line,
 * since npx and tsx each add a process of their own in front of it.
 */
export class ChildServer {
  readonly log: string[] = [];
  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly ports: number[],
  ) {}

  static async start(
    filesDir: string,
    opts: {
      firstPort?: number;
      portCount?: number;
      pausePercent?: number;
      user?: { uid: number; gid: number };
      /** More flags for the server program. */
      args?: string[];
    } = {},
  ): Promise<ChildServer> {
    for (let attempt = 0; ; attempt++) {
      const first = opts.firstPort ?? 20_000 + Math.floor(Math.random() * 30_000);
      const ports = Array.from({ length: opts.portCount ?? 1 }, (_, i) => first + i);
      const args = [
        'tsx',
        'services/server/main.ts',
        '--host',
        '127.0.0.1',
        '--ports',
        `${first}-${ports.at(-1)}`,
        '--files',
        filesDir,
      ];
      if (opts.pausePercent) args.push('--pause', String(opts.pausePercent));
      if (opts.args) args.push(...opts.args);
      // As another user, npx would want a home of its own: start this very Node with tsx instead.
      const child = opts.user
        ? spawn(process.execPath, ['--import', ...args], {
            cwd: REPO,
            stdio: ['ignore', 'ignore', 'pipe'],
            uid: opts.user.uid,
            gid: opts.user.gid,
          })
        : spawn('npx', args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
      const log: string[] = [];
      try {
        const pid = await waitForPid(child, log);
        const server = new ChildServer(child, pid, ports);
        server.log.push(...log);
        child.stderr.on('data', (chunk: Buffer) =>
          server.log.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
        );
        return server;
      } catch (error) {
        child.kill('SIGKILL');
        if (opts.firstPort !== undefined || attempt > 5 || !log.some((l) => l.includes('EADDRINUSE'))) throw error;
      }
    }
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Log lines containing `text`. */
  events(text: string): string[] {
    return this.log.filter((l) => l.includes(text));
  }

  /** Ends the server at once, as a crash or `kill -9` would: nothing gets to say goodbye. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, 'exit');
    process.kill(this.pid, 'SIGKILL');
    await exit;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, 'exit');
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      this.child.kill('SIGTERM');
    }
    await exit;
  }
}

function waitForPid(child: ChildProcess, log: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => fail(new ChildServerError(`server did not start in 30 s: ${log.join(' / ')}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      const lines = (buffered + chunk.toString('utf8')).split('\n');
      buffered = lines.pop() ?? '';
      log.push(...lines);
      const pid = lines.map((l) => / listening .* pid (\d+)/.exec(l)?.[1]).find(Boolean);
      if (pid) done(Number(pid));
    };
    const onExit = (code: number | null) =>
      fail(new ChildServerError(`server exited (${code}) before listening: ${log.join(' / ')}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
    };
    const done = (pid: number) => (cleanup(), resolve(pid));
    const fail = (error: Error) => (cleanup(), reject(error));
    child.stderr!.on('data', onData);
    child.on('exit', onExit);
  });
}
