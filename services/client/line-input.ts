import { createInterface, type Interface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { TerminalOutput } from './terminal-output.ts';

interface Waiter {
  prompt: string;
  urgent: boolean;
  resolve: (line: string | null) => void;
}

export interface AskOptions {
  /** A running download's question: it takes the next line ahead of the command loop. */
  urgent?: boolean;
  /** Withdraws the question: the promise gives null and the next line goes elsewhere. */
  signal?: AbortSignal;
}

/**
 * The one reader of stdin. Lines that arrive while nobody asks are queued, so a program
 * piping its answers ahead loses none. While `holdTypedAhead` is on (a download is running),
 * lines already queued are kept for the download's questions instead of the command loop.
 * `null` means stdin ended.
 */
export class LineInput {
  private readonly rl: Interface;
  private readonly queue: string[] = [];
  private waiters: Waiter[] = [];
  private ended = false;
  private holding = false;

  constructor(
    input: Readable,
    private readonly output: TerminalOutput,
  ) {
    this.rl = createInterface({
      input,
      output: output.isTty ? output.stream : undefined,
      terminal: output.isTty,
    });
    if (output.isTty) {
      output.useRenderer((prompt) => {
        this.rl.setPrompt(prompt);
        this.rl.prompt(true);
      });
      // readline swallows Ctrl-C on a TTY: hand it to the process like a real SIGINT.
      this.rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
    }
    this.rl.on('line', (line) => this.onLine(line));
    this.rl.on('close', () => this.onEnd());
  }

  ask(prompt: string, options: AskOptions = {}): Promise<string | null> {
    if (options.signal?.aborted) return Promise.resolve(null);
    if (prompt !== '') this.output.prompt(prompt);
    return new Promise((resolve) => {
      const waiter: Waiter = { prompt, urgent: options.urgent ?? false, resolve };
      options.signal?.addEventListener('abort', () => this.withdraw(waiter), { once: true });
      this.waiters = waiter.urgent
        ? [...this.waiters.filter((w) => w.urgent), waiter, ...this.waiters.filter((w) => !w.urgent)]
        : [...this.waiters, waiter];
      this.settle();
    });
  }

  holdTypedAhead(on: boolean): void {
    this.holding = on;
    this.settle();
  }

  close(): void {
    this.rl.close();
  }

  private withdraw(waiter: Waiter): void {
    if (!this.waiters.includes(waiter)) return;
    this.waiters = this.waiters.filter((w) => w !== waiter);
    this.output.answered();
    waiter.resolve(null);
  }

  private onLine(line: string): void {
    const first = this.waiters[0];
    // A fresh line goes to whoever waits, unless older lines are still held back.
    if (first && this.queue.length === 0) this.deliver(first, line);
    else this.queue.push(line);
    this.settle();
  }

  private onEnd(): void {
    this.ended = true;
    this.settle();
  }

  private settle(): void {
    for (const waiter of [...this.waiters]) {
      const mayTakeQueue = waiter.urgent || !this.holding;
      if (this.queue.length > 0 && mayTakeQueue) this.deliver(waiter, this.queue.shift() ?? '');
      else if (this.ended && this.queue.length === 0) this.deliver(waiter, null);
    }
  }

  private deliver(waiter: Waiter, line: string | null): void {
    this.waiters = this.waiters.filter((w) => w !== waiter);
    this.output.answered();
    waiter.resolve(line);
    const next = this.waiters[0];
    if (next && this.output.isTty && next.prompt !== '') this.output.prompt(next.prompt);
  }
}
