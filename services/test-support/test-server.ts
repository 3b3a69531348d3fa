import { ChatServer, StartedChatServer, type ChatServerOptions } from '../server/chat-server.ts';
import type { Logger } from '../server/logger.ts';

export interface TestServer {
  ports: number[];
  started: StartedChatServer;
  events: string[];
}

/** Starts a real server on a random free range of loopback ports, so test files can run in parallel. */
export async function startTestServer(
  filesDir: string,
  opts: { pausePercent?: number; portCount?: number } & Pick<
    ChatServerOptions,
    'maxPerAddress' | 'idleBeforeConnectMs'
  > = {},
): Promise<TestServer> {
  const events: string[] = [];
  const log: Logger = { event: (peer, event, details) => events.push(`${peer} ${event} ${details ?? ''}`) };
  for (let attempt = 0; ; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = Array.from({ length: opts.portCount ?? 2 }, (_, i) => base + i);
    try {
      const started = await new ChatServer({
        host: '127.0.0.1',
        ports,
        filesDir,
        pausePercent: opts.pausePercent ?? 50,
        maxPerAddress: opts.maxPerAddress,
        idleBeforeConnectMs: opts.idleBeforeConnectMs,
        log,
      }).start();
      return { ports, started, events };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 20) throw error;
    }
  }
}
