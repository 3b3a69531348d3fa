import net from 'node:net';
import { once } from 'node:events';
import { LineDecoder, encodeLine } from '../protocol/line-codec.ts';

/** A raw control-channel peer for tests: sends lines, records every line it is sent. */
export class LineClient {
  readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();
  closed = false;

  private constructor(readonly socket: net.Socket) {
    const decoder = new LineDecoder();
    socket.on('data', (chunk) => {
      for (const e of decoder.push(chunk)) if (e.kind === 'line') this.lines.push(e.text);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async connect(port: number, localAddress = '127.0.0.1', host = '127.0.0.1'): Promise<LineClient> {
    const socket = net.connect({ port, host, localAddress });
    await once(socket, 'connect');
    return new LineClient(socket);
  }

  send(...lines: string[]): void {
    for (const line of lines) this.socket.write(encodeLine(line));
  }

  /** Waits for a line (after index `from`) matching `match`, and returns it. */
  async waitFor(match: string | RegExp | ((line: string) => boolean), timeoutMs = 3000, from = 0): Promise<string> {
    const test =
      typeof match === 'function' ? match : (l: string) => (typeof match === 'string' ? l === match : match.test(l));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(from).find(test);
      if (found !== undefined) return found;
      if (this.closed) throw new Error(`connection closed before ${String(match)}; got ${this.recent()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${String(match)}; got ${this.recent()}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
  }

  /**
   * Sends a line and returns the next line the server answers. Presence lines (`x is connected`)
   * can arrive at any moment from other clients, so they are not taken for the answer.
   */
  async ask(line: string, timeoutMs = 3000): Promise<string> {
    const from = this.lines.length;
    this.send(line);
    return this.waitFor((l) => !PRESENCE.test(l), timeoutMs, from);
  }

  async waitClosed(timeoutMs = 3000): Promise<void> {
    if (!this.closed)
      await Promise.race([
        once(this.socket, 'close'),
        sleep(timeoutMs).then(() => {
          throw new Error('still open');
        }),
      ]);
  }

  close(): void {
    this.socket.destroy();
  }

  /** The last lines, shortened: enough to see what went wrong without megabytes of output. */
  private recent(count = 8): string {
    const shown = this.lines.slice(-count).map((l) => (l.length > 120 ? `${l.slice(0, 120)}…(${l.length} chars)` : l));
    return `${this.lines.length} lines, last ${JSON.stringify(shown)}`;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

const PRESENCE = /^[^|]+ is (dis)?connected$/;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
