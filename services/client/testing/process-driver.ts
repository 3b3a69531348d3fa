import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

const ROOT = new URL('../../../', import.meta.url).pathname;

/**
 * A program started with tsx's loader under this same Node, its stdout split into lines,
 * so a test can wait for a prompt and answer it the way a person would.
 */
export class ProcessDriver {
  readonly lines: string[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  private partial = '';
  private listeners = new Set<() => void>();
  readonly exited: Promise<number | null>;

  constructor(script: string, args: string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      const parts = (this.partial + chunk.toString('utf8')).split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const listener of [...this.listeners]) listener();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.child.stdin?.on('error', () => undefined);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  endInput(): void {
    this.child.stdin?.end();
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  /** Waits for a line after line `from` that matches; returns its index. */
  waitFor(match: string | RegExp, from = 0, timeoutMs = 15_000): Promise<number> {
    const test = (line: string) => (typeof match === 'string' ? line === match : match.test(line));
    return new Promise((resolve, reject) => {
      const check = () => {
        const index = this.lines.findIndex((line, i) => i >= from && test(line));
        if (index === -1) return;
        cleanup();
        resolve(index);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `timed out waiting for ${String(match)}; output so far:\n${this.lines.join('\n')}\nstderr:\n${this.stderr}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Waits for `prompt` after line `from`, then answers it; returns the prompt's index. */
  async answer(prompt: string | RegExp, reply: string, from = 0): Promise<number> {
    const at = await this.waitFor(prompt, from);
    this.send(reply);
    return at;
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Resolves once something accepts TCP connections on host:port. */
export async function waitForPort(host: string, port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
