import net from 'node:net';
import { once } from 'node:events';
import { serverLine } from '../protocol/server-messages.ts';
import { ClientSession } from './client-session.ts';
import { DEFAULT_RATE_MBIT } from './download-sender.ts';
import { FileCatalog } from './file-catalog.ts';
import { silentLogger, type Logger } from './logger.ts';
import { UserRegistry } from './user-registry.ts';

export const MAX_CLIENTS_PER_PORT = 15;

export interface ChatServerOptions {
  host: string;
  ports: number[];
  filesDir: string;
  pausePercent: number;
  /** Pace fresh datagrams of each download to this many Mbit/s; 0 sends as fast as possible. */
  rateMbit?: number;
  log?: Logger;
}

/** Listens on every port of its range at once; all ports share one set of users. */
export class ChatServer {
  private readonly servers: net.Server[] = [];
  private readonly sessions = new Map<net.Socket, ClientSession>();
  private readonly users = new UserRegistry<ClientSession>();
  private readonly log: Logger;

  constructor(private readonly options: ChatServerOptions) {
    this.log = options.log ?? silentLogger;
  }

  async start(): Promise<StartedChatServer> {
    const files = new FileCatalog(this.options.filesDir);
    await files.list(); // fail now, with the folder's name, rather than at the first download
    const ctx = {
      users: this.users,
      files,
      pausePercent: this.options.pausePercent,
      rateMbit: this.options.rateMbit ?? DEFAULT_RATE_MBIT,
      log: this.log,
    };
    try {
      for (const port of this.options.ports) {
        const server = net.createServer((socket) => this.accept(server, port, socket, ctx));
        server.maxConnections = Infinity;
        this.servers.push(server);
        server.listen(port, this.options.host);
        await once(server, 'listening');
      }
    } catch (error) {
      await this.close();
      throw error;
    }
    this.log.event(
      '-',
      'listening',
      `${this.options.host} ports ${this.options.ports[0]}-${this.options.ports.at(-1)} pid ${process.pid}`,
    );
    return new StartedChatServer(this);
  }

  /** What the server holds right now, summed over its connections: bounded by the caps, whatever clients do. */
  stats(): ServerStats {
    const stats: ServerStats = {
      connections: 0,
      users: this.users.size,
      downloads: 0,
      pendingInputBytes: 0,
      pendingLines: 0,
      queuedOutputBytes: 0,
    };
    for (const session of this.sessions.values()) {
      const s = session.stats();
      stats.connections++;
      stats.downloads += s.downloading ? 1 : 0;
      stats.pendingInputBytes = Math.max(stats.pendingInputBytes, s.pendingInputBytes);
      stats.pendingLines = Math.max(stats.pendingLines, s.pendingLines);
      stats.queuedOutputBytes = Math.max(stats.queuedOutputBytes, s.queuedOutputBytes);
    }
    return stats;
  }

  async close(): Promise<void> {
    for (const socket of this.sessions.keys()) socket.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private accept(
    server: net.Server,
    port: number,
    socket: net.Socket,
    ctx: ConstructorParameters<typeof ClientSession>[1],
  ): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    server.getConnections((_, count) => {
      if (count > MAX_CLIENTS_PER_PORT) {
        this.log.event(peer, 'refused', `port ${port} is full`);
        socket.on('error', () => {});
        socket.end(`${serverLine.portFull(port)}\n`);
        return;
      }
      socket.on('close', () => this.sessions.delete(socket));
      this.log.event(peer, 'connection', `on port ${port}`);
      this.sessions.set(socket, new ClientSession(socket, ctx));
    });
  }
}

/** Connection and download counts; the three buffers are the largest any one connection holds. */
export interface ServerStats {
  connections: number;
  users: number;
  downloads: number;
  pendingInputBytes: number;
  pendingLines: number;
  queuedOutputBytes: number;
}

export class StartedChatServer {
  constructor(private readonly server: ChatServer) {}

  stats(): ServerStats {
    return this.server.stats();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
