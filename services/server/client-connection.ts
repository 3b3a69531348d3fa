import type { Socket } from 'node:net';
import { parseClientCommand, type ClientCommand } from '../protocol/client-commands.ts';
import { encodeLine, LineDecoder, MAX_LINE_BYTES, type LineEvent } from '../protocol/line-codec.ts';
import { nameProblem } from '../protocol/names.ts';
import { serverLine } from '../protocol/server-messages.ts';
import { closeWithLine } from './close-with-line.ts';
import { DownloadControl, type DownloadOwner } from './download-control.ts';
import type { FileCatalog } from './file-catalog.ts';
import { IdleBeforeConnect } from './idle-before-connect.ts';
import type { Logger } from './logger.ts';
import { describe, textProblem } from './session-text.ts';
import type { UserRegistry } from './user-registry.ts';

/** A client that does not read its socket may make the server queue at most this much for it. */
export const MAX_SEND_QUEUE_BYTES = 1024 * 1024;
/**
 * Lines read but not yet answered. Past this the session stops reading its socket until it
 * catches up, so a client that sends faster than slow commands (disk reads) finish is held
 * back by TCP flow control instead of growing the server's memory.
 */
export const MAX_PENDING_LINES = 256;

export interface SessionContext {
  users: UserRegistry<ClientConnection>;
  files: FileCatalog;
  pausePercent: number;
  rateMbit?: number;
  fixedRate?: boolean;
  /** 0: a connection without a name may stay idle for ever. */
  idleBeforeConnectMs: number;
  log: Logger;
}

export interface SessionStats {
  downloading: boolean;
  pendingInputBytes: number;
  pendingLines: number;
  queuedOutputBytes: number;
}

/** One TCP connection: parses its lines and answers them; releases everything it holds when it goes. */
export class ClientConnection implements DownloadOwner {
  readonly peer: string;
  private name?: string;
  private readonly downloads: DownloadControl;
  private readonly decoder = new LineDecoder();
  // Commands run one at a time, in order, though some of them wait on the disk.
  private queue: Promise<void> = Promise.resolve();
  private pendingLines = 0;
  private isClosed = false;
  private readonly idle: IdleBeforeConnect;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: SessionContext,
  ) {
    this.peer = `${socket.remoteAddress}:${socket.remotePort}`;
    this.downloads = new DownloadControl(this, ctx);
    this.idle = new IdleBeforeConnect(ctx.idleBeforeConnectMs, () => this.closeIdle());
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) => ctx.log.event(this.peer, 'socket-error', error.message));
    socket.on('close', () => void this.release());
  }

  get userName(): string | undefined {
    return this.name;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get localAddress(): string {
    return unmapped(this.socket.localAddress);
  }

  get remoteAddress(): string {
    return unmapped(this.socket.remoteAddress);
  }

  send(line: string): void {
    if (this.isClosed || this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(encodeLine(line));
    if (this.socket.writableLength > MAX_SEND_QUEUE_BYTES) {
      this.ctx.log.event(this.peer, 'send-queue-overflow', `${this.socket.writableLength} bytes queued; disconnecting`);
      this.socket.destroy();
    }
  }

  stats(): SessionStats {
    return {
      downloading: this.downloads.running,
      pendingInputBytes: this.decoder.pendingBytes,
      pendingLines: this.pendingLines,
      queuedOutputBytes: this.socket.writableLength,
    };
  }

  private onData(chunk: Buffer): void {
    for (const event of this.decoder.push(chunk)) {
      if (!this.name) this.idle.restart();
      this.pendingLines++;
      // Every line, even a bad one, is answered in the order it came.
      this.queue = this.queue
        .then(() => (this.isClosed ? undefined : this.onLine(event)))
        .catch((error: unknown) =>
          this.ctx.log.event(
            this.peer,
            'internal-error',
            error instanceof Error ? (error.stack ?? error.message) : String(error),
          ),
        )
        .finally(() => this.lineDone());
    }
    if (this.pendingLines > MAX_PENDING_LINES && !this.socket.isPaused()) this.socket.pause();
  }

  private lineDone(): void {
    this.pendingLines--;
    if (this.pendingLines <= MAX_PENDING_LINES / 2 && this.socket.isPaused() && !this.isClosed) this.socket.resume();
  }

  private async onLine(event: LineEvent): Promise<void> {
    if (event.kind === 'overlong') {
      this.ctx.log.event(this.peer, 'overlong-line', `${event.bytes} bytes`);
      return this.send(serverLine.error(`line longer than ${MAX_LINE_BYTES} bytes skipped`));
    }
    const parsed = parseClientCommand(event.text);
    if (parsed.ok) return this.handle(parsed.command);
    this.ctx.log.event(this.peer, 'bad-line', parsed.reason);
    this.send(serverLine.error(parsed.reason));
  }

  private async handle(command: ClientCommand): Promise<void> {
    const { log } = this.ctx;
    // Resend requests and progress reports come by the hundred: the download's own log lines sum them up.
    if (command.type !== 'resend' && command.type !== 'ack') log.event(this.peer, 'command', describe(command));
    switch (command.type) {
      case 'connect':
        return this.connect(command.name);
      case 'disconnect':
        this.send(serverLine.disconnected);
        this.socket.end();
        return this.release();
      case 'get_users':
        return this.send(serverLine.users(this.ctx.users.names()));
      case 'get_list_file':
        return this.send(serverLine.files(await this.ctx.files.list()));
      case 'msg_all':
      case 'msg':
        return this.relay(command);
      case 'download':
        return this.downloads.start(command.file);
      case 'udp':
        return this.downloads.openUdp(command.port);
      case 'resend':
        return this.downloads.resend(command.seqs);
      case 'ack':
        return this.downloads.ack(command.report);
      case 'checksum':
        return this.downloads.checksum(command.file);
      case 'blksize':
        return this.downloads.setBlockSize(command.bytes);
      case 'proceed':
        return this.downloads.proceed();
      case 'stop':
        return this.downloads.stop();
    }
  }

  private relay(command: Extract<ClientCommand, { type: 'msg_all' | 'msg' }>): void {
    if (!this.name) return this.send(serverLine.cantSend('You are not connected. Use connect first'));
    const problem = textProblem(command.text);
    if (problem) return this.send(serverLine.cantSend(problem));
    if (command.type === 'msg_all') return this.ctx.users.broadcast(serverLine.msgAll(this.name, command.text), this);
    const target = this.ctx.users.get(command.target);
    if (!target) return this.send(serverLine.cantSend(`${command.target} is not online`));
    target.send(serverLine.msg(this.name, command.text));
  }

  private connect(name: string): void {
    if (this.name) return this.send(serverLine.cantConnect(`Already connected as ${this.name}`));
    const problem = nameProblem(name);
    if (problem) return this.send(serverLine.cantConnect(problem));
    if (this.ctx.users.has(name)) return this.send(serverLine.nameTaken);
    this.name = name;
    this.idle.stop();
    this.ctx.users.add(name, this);
    this.send(serverLine.connected);
    this.ctx.users.broadcast(serverLine.userConnected(name), this);
  }

  private closeIdle(): void {
    if (this.isClosed || this.name) return;
    const seconds = this.idle.ms / 1000;
    this.ctx.log.event(this.peer, 'idle-timeout', `no name taken and no line for ${seconds} s; closing`);
    closeWithLine(this.socket, serverLine.idleBeforeConnect(seconds));
  }

  private async release(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.idle.stop();
    await this.downloads.end('connection closed');
    if (this.name && this.ctx.users.remove(this.name, this)) {
      this.ctx.users.broadcast(serverLine.userDisconnected(this.name));
    }
    this.ctx.log.event(this.peer, 'released', this.name ?? '(no name)');
  }
}

// A server listening on :: sees IPv4 peers as ::ffff:a.b.c.d; UDP to them wants the plain form.
export function unmapped(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}
