import net from 'node:net';
import { formatClientCommand, type ClientCommand } from '../protocol/client-commands.ts';
import { LineDecoder, encodeLine } from '../protocol/line-codec.ts';
import { parseServerLine, type ServerMessage } from '../protocol/server-messages.ts';
import { ConnectError, reasonOf } from './errors.ts';

export interface ServerAddress {
  /** Local address to connect from; undefined lets the OS choose. */
  bind?: string;
  host: string;
  port: number;
}

export type MessageListener = (message: ServerMessage, line: string) => void;
export type CloseListener = () => void;

const CONNECT_TIMEOUT_MS = 10_000;

/** The TCP control channel: one parsed server line per event, commands out as lines. */
export class ControlConnection {
  private readonly messageListeners = new Set<MessageListener>();
  private readonly closeListeners = new Set<CloseListener>();
  private closedFlag = false;
  /** `get_users` sent by nudge() whose answers are still to come: those answers are nobody's to show. */
  private pendingNudges = 0;

  private constructor(
    private readonly socket: net.Socket,
    private readonly nudges: boolean,
  ) {
    const decoder = new LineDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        // An overlong line from the server is dropped whole: there is nothing safe to show.
        if (event.kind === 'line') this.emit(event.text);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closedFlag = true;
      for (const listener of [...this.closeListeners]) listener();
    });
  }

  /** `nudges: false` makes nudge() do nothing: the seed's client never sent a line it was not told to. */
  static connect(address: ServerAddress, options: { nudges?: boolean } = {}): Promise<ControlConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address.host, port: address.port, localAddress: address.bind });
      const target = `${address.host}:${address.port}`;
      const fail = (reason: string) => {
        socket.destroy();
        reject(new ConnectError(target, reason));
      };
      socket.setTimeout(CONNECT_TIMEOUT_MS, () => fail('timed out'));
      socket.once('error', (error) => fail(reasonOf(error)));
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new ControlConnection(socket, options.nudges ?? true));
      });
    });
  }

  get localAddress(): string {
    return this.socket.localAddress ?? '';
  }
  get localPort(): number {
    return this.socket.localPort ?? 0;
  }
  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }
  get remotePort(): number {
    return this.socket.remotePort ?? 0;
  }
  get closed(): boolean {
    return this.closedFlag;
  }

  send(command: ClientCommand): void {
    this.sendLine(formatClientCommand(command));
  }

  /** For lines already formatted, such as the split `resend|…` lines. */
  sendLine(line: string): void {
    if (!this.closedFlag && !this.socket.destroyed) this.socket.write(encodeLine(line));
  }

  /** Asks `get_users`, to get an overdue answer delivered (see reply-nudger.ts); its own answer is dropped. */
  nudge(): void {
    if (!this.nudges || this.closed) return;
    this.pendingNudges++;
    this.send({ type: 'get_users' });
  }

  onMessage(listener: MessageListener): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onClose(listener: CloseListener): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.socket.destroy();
  }

  private emit(line: string): void {
    const message = parseServerLine(line);
    // Answers come in the order asked, and every `users|…` answers some get_users: dropping one per
    // nudge drops the nudges' answers (or an identical one the user asked for just before).
    if (message.type === 'users' && this.pendingNudges > 0) return void this.pendingNudges--;
    for (const listener of [...this.messageListeners]) listener(message, line);
  }
}
