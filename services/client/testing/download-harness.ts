import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { datagramCount } from '../../protocol/datagram.ts';
import { ControlConnection } from '../control-connection.ts';
import { runDownload, type DownloadOutcome } from '../download-flow.ts';
import type { Progress } from '../progress.ts';
import type { RecoveryMode } from '../recovery.ts';
import { FakeServer, type FakeServerOptions } from './fake-server.ts';

const silent: Progress = { update() {}, suspend() {}, resume() {}, done() {} };

export interface DownloadRun {
  outcome: DownloadOutcome;
  printed: string[];
  prompts: string[];
  fake: FakeServer;
  files: string[];
}

/** Owns every socket and folder a test opens, so `cleanup` can release them even after a failure. */
export class DownloadHarness {
  private readonly fakes: FakeServer[] = [];
  private readonly connections: ControlConnection[] = [];
  private readonly dirs: string[] = [];

  async dir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'client-dl-'));
    this.dirs.push(dir);
    return dir;
  }

  async fake(options: FakeServerOptions): Promise<FakeServer> {
    const fake = await FakeServer.start(options);
    this.fakes.push(fake);
    return fake;
  }

  /** Runs one download against `fake` from 127.0.0.3, answering its questions from `answers`. */
  async run(
    fake: FakeServer,
    dir: string,
    answers: string[],
    extra: {
      pausePercent?: number;
      size: number;
      onStart?: (c: ControlConnection) => void;
      recovery?: RecoveryMode;
      /** Check against the server's checksum; off unless a test is about it, so the others see only the download. */
      verify?: boolean;
    },
  ): Promise<DownloadRun> {
    const connection = await ControlConnection.connect({ bind: '127.0.0.3', host: '127.0.0.1', port: fake.port });
    this.connections.push(connection);
    extra.onStart?.(connection);
    const printed: string[] = [];
    const prompts: string[] = [];
    const outcome = await runDownload(
      {
        connection,
        ask: async (prompt) => {
          prompts.push(prompt);
          return answers.shift() ?? null;
        },
        print: (line) => printed.push(line),
        progress: () => silent,
        downloadsDir: dir,
        pausePercent: extra.pausePercent ?? 50,
        recovery: extra.recovery && { mode: extra.recovery },
        verify: extra.verify ?? false,
        serverReplyMs: 2_000,
      },
      'q.txt',
      datagramCount(extra.size),
    );
    return { outcome, printed, prompts, fake, files: (await readdir(dir).catch(() => [])).sort() };
  }

  async cleanup(): Promise<void> {
    for (const c of this.connections.splice(0)) c.close();
    await Promise.all(this.fakes.splice(0).map((f) => f.close()));
    await Promise.all(this.dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }
}
