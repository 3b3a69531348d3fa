import { DEFAULT_PORT_RANGE } from '../../services/protocol/defaults.ts';
import path from 'node:path';
import { programCommand } from '../engine/app-bundle.ts';
import { ExpectationFailed } from '../assertions/index.ts';
import type { LabHost } from '../host/lab-host.ts';
import type { SpawnedProcess } from '../host/spawned-process.ts';
import { downloadsFolder } from '../results/run-folder.ts';
import { DownloadInProgress, type SavedDownload } from './download-in-progress.ts';

export type { SavedDownload } from './download-in-progress.ts';

export interface DownloadOptions {
  /** What the user types at the pause: `proceed`, or anything else to stop. */
  atPause?: string;
  /** The name typed at `Save as:`. */
  saveAs?: string;
}

const DEFAULT_WAIT_MS = 15_000;

/**
 * The real client program in its container, driven through its stdin as a person
 * would drive it: every method types what a user types and waits for what a user
 * would wait to see.
 */
export class ClientProgram {
  private constructor(
    readonly name: string,
    readonly host: LabHost,
    readonly port: number,
    private readonly serverIp: string,
    readonly process: SpawnedProcess,
    /** The client's downloads folder, seen from this machine. */
    readonly downloadsDir: string,
    private readonly note: (message: string) => void,
    private readonly stepWaitMs?: number,
  ) {}

  static async start(
    name: string,
    host: LabHost,
    opts: {
      serverIp: string;
      port: number;
      resultsDir: string;
      pause: number;
      recovery?: 'seed' | 'adaptive';
      reorderWindowMs?: number;
      lossTimers?: boolean;
      verify?: boolean;
      blockSize?: number;
      /** How long each step of a download may take (DownloadInProgress's default unless said). */
      stepWaitMs?: number;
      note: (m: string) => void;
    },
  ): Promise<ClientProgram> {
    const downloads = path.posix.join('/results', downloadsFolder(name));
    // The downloads folder is made by the same command that starts the program.
    const proc = await host.spawn(
      [
        'sh',
        '-c',
        'mkdir -p "$0" && exec "$@"',
        downloads,
        ...programCommand('client'),
        '--bind',
        host.ip,
        '--server',
        opts.serverIp,
        '--port',
        String(opts.port),
        '--downloads',
        downloads,
        '--pause',
        String(opts.pause),
        ...(opts.recovery ? ['--recovery', opts.recovery] : []),
        ...(opts.reorderWindowMs === undefined ? [] : ['--reorder-window', String(opts.reorderWindowMs)]),
        ...(opts.lossTimers === false ? ['--no-loss-timers'] : []),
        ...(opts.verify === false ? ['--no-verify'] : []),
        ...(opts.blockSize === undefined ? [] : ['--block-size', String(opts.blockSize)]),
      ],
      { stdin: true, workingDir: '/app' },
    );
    const client = new ClientProgram(
      name,
      host,
      opts.port,
      opts.serverIp,
      proc,
      path.join(opts.resultsDir, downloadsFolder(name)),
      opts.note,
      opts.stepWaitMs,
    );
    await client.sees(/^Connected to /, 20_000);
    return client;
  }

  get ip(): string {
    return this.host.ip;
  }

  /** Types one line, as at the keyboard. */
  type(line: string): void {
    this.note(`${this.name} » ${line}`);
    this.process.writeLine(line);
  }

  /** Waits for the next output line matching `what` (an exact line or a pattern) and returns it. */
  async sees(what: string | RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    const line = await this.process.waitForLine(pattern(what), timeoutMs);
    this.note(`${this.name} « ${line}`);
    return line;
  }

  /**
   * `connect`, then the name; the server's answer must be `expect` (`connected` unless
   * said otherwise, e.g. a refusal line). Returns the answer.
   */
  async connect(name = this.name, opts: { expect?: string } = {}): Promise<string> {
    const expected = opts.expect ?? 'connected';
    this.type('connect');
    // A server that refuses the connection itself (a full port, too many from one address) says so
    // at once, maybe before the name is asked: that refusal is the answer.
    let answer = await this.sees(/^(Name: ?|can't connect\. .*)$/);
    if (/^Name: ?$/.test(answer)) {
      this.type(name);
      answer = await this.sees(/^(connected|can't connect\. .*)$/);
    }
    if (answer !== expected) {
      throw new ExpectationFailed(
        'connect',
        `${this.name} connecting as "${name}" expected "${expected}" but the client printed "${answer}"`,
      );
    }
    return answer;
  }

  /** A message to everyone, or to one user. */
  async say(text: string, opts: { to?: string } = {}): Promise<void> {
    this.type(text);
    await this.sees(/^Target name \(blank for everyone\): ?$/);
    this.type(opts.to ?? '');
  }

  /** Downloads `file`, answers at the pause, saves it; returns the saved file, or null when stopped. */
  async download(file: string, opts: DownloadOptions = {}): Promise<SavedDownload | null> {
    const atPause = opts.atPause ?? 'proceed';
    const download = await this.startDownload(file);
    if (await download.reachesPause()) {
      if (atPause !== 'proceed') {
        await download.stop(atPause);
        return null;
      }
      download.proceed();
    }
    return download.save(opts.saveAs ?? `copy-of-${file}`);
  }

  /** Asks for `file` and returns the download in progress, so the story can act between its steps. */
  async startDownload(file: string): Promise<DownloadInProgress> {
    this.type('download');
    await this.sees(/^File name: ?$/);
    this.type(file);
    await this.sees(/^Downloading /);
    return new DownloadInProgress(this, file, this.stepWaitMs);
  }

  /** The client printed this line at some point (before now, or within the wait): however its other output interleaved. */
  async saw(what: string | RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    const line = await this.process.waitForLine(pattern(what), timeoutMs, { fromStart: true });
    this.note(`${this.name} « ${line}`);
    return line;
  }

  async disconnect(): Promise<void> {
    this.type('disconnect');
    await this.sees('disconnected');
  }

  /** Disconnects and stays away: the client waits at its first question, holding no connection. */
  async leave(): Promise<void> {
    await this.disconnect();
    await this.sees(/^Your IP address \(blank for any\): ?$/);
  }

  /** After leave(): answers the address questions again, as its user would, and sees the TCP connection open. */
  async comeBack(port = this.port): Promise<void> {
    this.type(this.ip);
    await this.sees(/^Server IP address: ?$/);
    this.type(this.serverIp);
    await this.sees(new RegExp(`^Server port \\(${DEFAULT_PORT_RANGE}\\): ?$`));
    this.type(String(port));
    await this.sees(/^Connected to /);
  }

  /**
   * Ends the program as a user would (end of input) and returns its exit code; then brings what
   * it saved home to downloadsDir, out of its container through the Docker API.
   */
  async quit(timeoutMs = 10_000): Promise<number> {
    this.process.closeStdin();
    const code = await Promise.race([
      this.process.exitCode,
      new Promise<number>((r) => setTimeout(() => r(-1), timeoutMs)),
    ]);
    await this.host.copyOut(path.posix.join('/results', downloadsFolder(this.name)), path.dirname(this.downloadsDir));
    return code;
  }
}

function pattern(what: string | RegExp): RegExp {
  return typeof what === 'string' ? new RegExp(`^${escape(what)}$`) : what;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
