import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

/** Every line a program writes to one of its streams, kept, with a way to wait for the next that matches. */
export class LineWatcher {
  readonly lines: string[] = [];
  private buffered = '';
  private waiters: Array<{ pattern: RegExp; from: number; resolve: (line: string) => void }> = [];
  private ended = false;
  private endWaiters: Array<(error: Error) => void> = [];

  constructor(stream: Readable, child?: ChildProcess) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.buffered += chunk;
      const parts = this.buffered.split('\n');
      this.buffered = parts.pop() ?? '';
      for (const line of parts) this.push(line);
    });
    child?.once('exit', (code, signal) => {
      this.ended = true;
      const error = new Error(`program exited (${signal ?? code})`);
      for (const fail of this.endWaiters) fail(error);
    });
  }

  /** The first line after the `from`-th that matches (by default: any line seen so far). */
  waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<string> {
    const seen = this.lines.slice(from).find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.ended) return Promise.reject(new Error(`program exited before printing ${pattern}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const waiter = {
        pattern,
        from,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.waiters.push(waiter);
      this.endWaiters.push((error) => {
        clearTimeout(timer);
        reject(
          new Error(`${error.message} before printing ${pattern}; last lines: ${this.lines.slice(-5).join(' | ')}`),
        );
      });
    });
  }

  private push(line: string): void {
    this.lines.push(line);
    const index = this.lines.length - 1;
    for (const waiter of [...this.waiters]) {
      if (index >= waiter.from && waiter.pattern.test(line)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }
}
