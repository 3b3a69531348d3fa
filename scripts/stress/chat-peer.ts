import net from 'node:net';
import { once } from 'node:events';
import { encodeLine, LineDecoder } from '../../services/protocol/line-codec.ts';

/**
 * A light chat client for load: keeps no history, hands each line to `onLine`.
 * (LineClient keeps every line, which is what tests want and what 240 busy clients do not.)
 */
export class ChatPeer {
  onLine: (line: string) => void = () => {};
  closed = false;

  private constructor(readonly socket: net.Socket) {
    const decoder = new LineDecoder();
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      for (const e of decoder.push(chunk)) if (e.kind === 'line') this.onLine(e.text);
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  static async connect(port: number, localAddress: string, host = '127.0.0.1'): Promise<ChatPeer> {
    const socket = net.connect({ port, host, localAddress });
    await once(socket, 'connect');
    return new ChatPeer(socket);
  }

  send(line: string): void {
    if (!this.closed) this.socket.write(encodeLine(line));
  }

  /** Sends a line and resolves with the first line that `match` accepts. */
  request(line: string, match: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const previous = this.onLine;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no answer to ${line}`)), timeoutMs);
      const finish = (error?: Error, answer?: string) => {
        clearTimeout(timer);
        this.onLine = previous;
        if (error) reject(error);
        else resolve(answer!);
      };
      this.onLine = (l) => (match(l) ? finish(undefined, l) : previous(l));
      this.send(line);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
