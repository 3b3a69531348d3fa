import { LabError } from '../errors/lab-error.ts';

export class LineTimeoutError extends LabError {
  constructor(what: string, pattern: RegExp, timeoutMs: number, tail: readonly string[]) {
    super(
      'LAB_ERR_LINE_TIMEOUT',
      `${what}: no line matching ${pattern} within ${timeoutMs} ms; last lines:\n  ${tail.join('\n  ')}`,
    );
  }
}

interface Waiter {
  pattern: RegExp;
  resolve: (line: string) => void;
  ended: () => void;
}

/**
 * Every line a process printed, kept, plus an expect-style cursor: each
 * waitFor consumes up to the line it matched, so a scenario can wait for the
 * answer to what it just typed without matching an older one.
 */
export class LineLog {
  readonly lines: string[] = [];
  private partial = '';
  private cursor = 0;
  private waiters = new Set<Waiter>();
  private listeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly what: string) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line.replace(/\r$/, ''));
  }

  end(): void {
    if (this.partial) this.add(this.partial);
    this.partial = '';
    this.closed = true;
    for (const w of this.waiters) w.ended();
    this.waiters.clear();
    this.wake();
  }

  text(): string {
    return this.lines.join('\n') + (this.partial ? `\n${this.partial}` : '');
  }

  async waitFor(pattern: RegExp, timeoutMs: number, opts: { fromStart?: boolean } = {}): Promise<string> {
    const from = opts.fromStart ? 0 : this.cursor;
    for (let i = from; i < this.lines.length; i++) {
      if (pattern.test(this.lines[i])) {
        this.cursor = Math.max(this.cursor, i + 1);
        return this.lines[i];
      }
    }
    this.cursor = this.lines.length;
    if (this.closed) throw new LineTimeoutError(`${this.what} (ended)`, pattern, 0, this.lines.slice(-10));
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = {
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        ended: () => {
          clearTimeout(timer);
          reject(new LineTimeoutError(`${this.what} (ended)`, pattern, timeoutMs, this.lines.slice(-10)));
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new LineTimeoutError(this.what, pattern, timeoutMs, this.lines.slice(-10)));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    let i = 0;
    for (;;) {
      while (i < this.lines.length) yield this.lines[i++];
      if (this.closed) return;
      await new Promise<void>((resolve) => this.listeners.add(resolve));
    }
  }

  private add(line: string): void {
    this.lines.push(line);
    for (const w of this.waiters) {
      if (w.pattern.test(line)) {
        this.waiters.delete(w);
        this.cursor = this.lines.length;
        w.resolve(line);
      }
    }
    this.wake();
  }

  private wake(): void {
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const l of listeners) l();
  }
}
