import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { BlockSizeOffer, type BlockSizeChoice } from './block-size-offer.ts';
import type { ControlConnection } from './control-connection.ts';
import { runDownload, type DownloadOutcome } from './download-flow.ts';
import type { LineInput } from './line-input.ts';
import type { RecoveryOptions } from './recovery.ts';
import { createProgress } from './progress.ts';
import { nudgeUntilStopped } from './reply-nudger.ts';
import { serverLineText } from './server-line-text.ts';
import type { TerminalOutput } from './terminal-output.ts';

export interface CommandLoopOptions {
  downloadsDir: string;
  pausePercent: number;
  recovery?: RecoveryOptions;
  /** Check each download against the server's checksum (default true; `--no-verify` turns it off). */
  verify?: boolean;
  /** Answers the first `Name: ` prompt (the --name flag). */
  name?: string;
  /** `--block-size`: what to ask the server for before the first download (never in seed mode). */
  blockSize?: BlockSizeChoice;
}

/** How one connection ended: the user's `disconnect`, the server going away, or stdin's end. */
export type LoopEnd = 'disconnected' | 'lost' | 'eof';

export const COMMANDS_HELP =
  'Commands: connect, disconnect, get_users, get_list_file, download; anything else is a message.';
const CLOSE_WAIT_MS = 3_000;

interface ActiveDownload {
  file: string;
  run: Promise<DownloadOutcome> | null;
  cancel: AbortController;
}

/** Reads commands for one TCP connection and shows what the server says, until it ends. */
export class CommandLoop {
  private download: ActiveDownload | null = null;
  private readonly lost = new AbortController();
  private presetName: string | undefined;
  /** Set while the answer to `download|…` is awaited. */
  private stopNudging: (() => void) | null = null;
  private readonly blockSize: BlockSizeOffer;

  constructor(
    private readonly connection: ControlConnection,
    private readonly input: LineInput,
    private readonly output: TerminalOutput,
    private readonly options: CommandLoopOptions,
  ) {
    this.presetName = options.name;
    // The seed's client sends only what its user types, and its datagrams are the seed's.
    const choice = options.blockSize ?? 'auto';
    this.blockSize = new BlockSizeOffer(
      connection,
      options.recovery?.mode === 'seed' && choice === 'auto' ? CHUNK_SIZE : choice,
    );
    connection.onMessage((message, line) => {
      if (this.blockSize.take(message)) return;
      const text = serverLineText(message, line);
      if (text !== null) output.line(text);
      if (message.type === 'download_start' || message.type === 'cant_download') this.answered();
      if (message.type === 'download_start') this.startDownload(message.count, line);
      if (message.type === 'cant_download' && this.download && !this.download.run) this.clearDownload();
    });
    connection.onClose(() => {
      this.answered();
      this.lost.abort();
    });
  }

  async run(): Promise<LoopEnd> {
    for (;;) {
      const line = await this.ask(this.output.isTty ? '> ' : '');
      if (this.lost.signal.aborted) return this.afterLoss();
      if (line === null) return this.leave('eof');
      const command = line.trim();
      if (command === 'disconnect') return this.leave('disconnected');
      if (command !== '') await this.handle(command, line);
      if (this.lost.signal.aborted) return this.afterLoss();
    }
  }

  /** Ctrl-C: stop the download and wait until its temp file is gone. */
  async interrupt(): Promise<void> {
    const active = this.download;
    active?.cancel.abort();
    await active?.run;
    this.connection.close();
  }

  private async handle(command: string, line: string): Promise<void> {
    switch (command) {
      case 'connect': {
        const name = this.presetName ?? (await this.ask('Name: '));
        this.presetName = undefined;
        if (name !== null) this.connection.send({ type: 'connect', name });
        return;
      }
      case 'get_users':
      case 'get_list_file':
        this.connection.send({ type: command });
        return;
      case 'download':
        return this.requestDownload();
      default:
        return this.sendMessage(line);
    }
  }

  private async sendMessage(text: string): Promise<void> {
    const target = await this.ask('Target name (blank for everyone): ');
    if (target === null) return;
    if (target.trim() === '') this.connection.send({ type: 'msg_all', text });
    else if (target.includes('|')) this.output.line("A target name can't contain '|'. Message not sent.");
    else this.connection.send({ type: 'msg', text, target: target.trim() });
  }

  private async requestDownload(): Promise<void> {
    if (this.download) {
      this.output.line(`A download is already running (${this.download.file}); wait for it to finish.`);
      return;
    }
    const file = (await this.ask('File name: '))?.trim() ?? '';
    if (file === '') {
      if (!this.lost.signal.aborted) this.output.line('No file name given.');
      return;
    }
    this.download = { file, run: null, cancel: new AbortController() };
    // Answers typed ahead by a program belong to this download's questions.
    this.input.holdTypedAhead(true);
    this.blockSize.beforeDownload();
    this.connection.send({ type: 'download', file });
    this.stopNudging = nudgeUntilStopped(this.connection);
  }

  /** The answer to `download|…` came (or never will): no more nudging for it. */
  private answered(): void {
    this.stopNudging?.();
    this.stopNudging = null;
  }

  private startDownload(count: number, line: string): void {
    const active = this.download;
    if (!active || active.run) {
      this.output.line(`server: ${line}`);
      return;
    }
    const deps = {
      connection: this.connection,
      ask: (prompt: string, signal: AbortSignal) => this.input.ask(prompt, { urgent: true, signal }),
      print: (text: string) => this.output.line(text),
      progress: (label: string, total: number) => createProgress(this.output, label, total),
      downloadsDir: this.options.downloadsDir,
      pausePercent: this.options.pausePercent,
      blockSize: this.blockSize.bytes,
      recovery: this.options.recovery,
      verify: this.options.verify,
      signal: active.cancel.signal,
    };
    active.run = runDownload(deps, active.file, count).finally(() => this.clearDownload());
  }

  private clearDownload(): void {
    this.download = null;
    this.input.holdTypedAhead(false);
  }

  private ask(prompt: string): Promise<string | null> {
    return this.input.ask(prompt, { signal: this.lost.signal });
  }

  private async afterLoss(): Promise<LoopEnd> {
    this.output.line('Connection to the server was lost.');
    // A finished download may still be asking for its name: let the user answer first.
    await this.download?.run;
    this.clearDownload();
    return 'lost';
  }

  private async leave(end: 'disconnected' | 'eof'): Promise<LoopEnd> {
    if (end === 'eof') await this.download?.run;
    else this.download?.cancel.abort();
    await this.download?.run;
    this.clearDownload();
    const closed = new Promise<void>((resolve) => {
      if (this.connection.closed) resolve();
      this.connection.onClose(resolve);
    });
    this.connection.send({ type: 'disconnect' });
    const timer = setTimeout(() => this.connection.close(), CLOSE_WAIT_MS);
    await closed;
    clearTimeout(timer);
    if (end === 'disconnected') this.output.line('Disconnected.');
    return end;
  }
}
