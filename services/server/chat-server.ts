import net from 'node:net';
import { once } from 'node:events';
import { serverLine } from '../protocol/server-messages.ts';
import { ClientConnection, unmapped } from './client-connection.ts';
import { closeWithLine } from './close-with-line.ts';
import { ConnectionLimits, type Refusal } from './connection-limits.ts';
import { FileCatalog } from './file-catalog.ts';
import { silentLogger, type Logger } from './logger.ts';
import { ThrottledLog } from './throttled-log.ts';
import { UserRegistry } from './user-registry.ts';

export const MAX_CLIENTS_PER_PORT = 15;
/**
 * Below the 15 places of a port, so that one host can never fill a port on its own; above
 * what a person runs on one machine (a few clients). A class behind one NAT address needs more.
 */
export const DEFAULT_MAX_PER_ADDRESS = 8;
/** A connection that has not taken a name is closed after this long without a line. */
export const DEFAULT_IDLE_BEFORE_CONNECT_MS = 60_000;

export interface ChatServerOptions {
  host: string;
  ports: number[];
  filesDir: string;
  pausePercent: number;
  /** `--rate`: no download goes faster, in Mbit/s; 0 for no limit; unset for the defaults (rate-limits.ts). */
  rateMbit?: number;
  /** Send at exactly `rateMbit`, ignoring the client's progress reports (`--fixed-rate`, as the seed's server did). */
  fixedRate?: boolean;
  /** Connections one client address may hold at once, over all ports; 0 for no limit. */
  maxPerAddress?: number;
  /** Close a connection that has sent no line for this long and has not taken a name; 0 never does. */
  idleBeforeConnectMs?: number;
  log?: Logger;
}

/** Listens on every port of its range at once; all ports share one set of users. */
export class ChatServer {
  private readonly servers: net.Server[] = [];
  private readonly sessions = new Map<net.Socket, ClientConnection>();
  private readonly refused = new Set<net.Socket>();
  private readonly users = new UserRegistry<ClientConnection>();
  private readonly log: Logger;
  private readonly limits: ConnectionLimits;
  private readonly refusalLog: ThrottledLog;

  constructor(private readonly options: ChatServerOptions) {
    this.log = options.log ?? silentLogger;
    this.limits = new ConnectionLimits(MAX_CLIENTS_PER_PORT, options.maxPerAddress ?? DEFAULT_MAX_PER_ADDRESS);
    this.refusalLog = new ThrottledLog(this.log);
  }

  async start(): Promise<StartedChatServer> {
    const files = new FileCatalog(this.options.filesDir);
    await files.list(); // fail now, with the folder's name, rather than at the first download
    const ctx = {
      users: this.users,
      files,
      pausePercent: this.options.pausePercent,
      rateMbit: this.options.rateMbit,
      fixedRate: this.options.fixedRate ?? false,
      idleBeforeConnectMs: this.options.idleBeforeConnectMs ?? DEFAULT_IDLE_BEFORE_CONNECT_MS,
      log: this.log,
    };
    try {
      for (const port of this.options.ports) {
        const server = net.createServer((socket) => this.accept(port, socket, ctx));
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
      `${this.options.host} ports ${this.options.ports[0]}-${this.options.ports.at(-1)} pid ${process.pid}` +
        `, at most ${this.options.maxPerAddress ?? DEFAULT_MAX_PER_ADDRESS} connections per address (0: no limit)` +
        `, idle before connect ${(this.options.idleBeforeConnectMs ?? DEFAULT_IDLE_BEFORE_CONNECT_MS) / 1000} s (0: never closed)`,
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
    for (const socket of [...this.sessions.keys(), ...this.refused]) socket.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private accept(port: number, socket: net.Socket, ctx: ConstructorParameters<typeof ClientConnection>[1]): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const address = unmapped(socket.remoteAddress);
    socket.setNoDelay(true);
    const refusal = this.limits.admit(port, address);
    if (refusal) return this.refuse(socket, peer, refusal);
    socket.on('close', () => {
      this.sessions.delete(socket);
      this.limits.release(port, address);
    });
    this.log.event(peer, 'connection', `on port ${port}`);
    this.sessions.set(socket, new ClientConnection(socket, ctx));
  }

  private refuse(socket: net.Socket, peer: string, refusal: Refusal): void {
    if (refusal.reason === 'port-full') {
      this.refusalLog.event(`port ${refusal.port} full`, peer, 'refused', `port ${refusal.port} is full`);
      closeWithLine(socket, serverLine.portFull(refusal.port));
    } else {
      this.refusalLog.event(
        `${refusal.address} over its limit`,
        peer,
        'refused',
        `${refusal.address} already holds ${refusal.limit} connections (--max-per-address)`,
      );
      closeWithLine(socket, serverLine.tooManyFromAddress(refusal.address, refusal.limit));
    }
    this.refused.add(socket);
    socket.once('close', () => this.refused.delete(socket));
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
