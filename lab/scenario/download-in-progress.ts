import path from 'node:path';
import { ClientOutputError } from './scenario-errors.ts';

export interface SavedDownload {
  /** Where the saved file is on this machine. */
  path: string;
  bytes: number;
  sha256: string;
}

/** What a download needs of the client program that runs it: typing, and waiting to see. */
interface Typist {
  readonly name: string;
  readonly downloadsDir: string;
  type(line: string): void;
  sees(what: string | RegExp, timeoutMs?: number): Promise<string>;
}

// Long enough for a download that waits out a partition and TCP's backed-off retransmissions.
const STEP_WAIT_MS = 60_000;

/**
 * A download the user has asked for and is following step by step, so a story can act between
 * the steps: reach the pause, proceed (then break the network, say), save.
 */
export class DownloadInProgress {
  private atSavePrompt = false;

  constructor(
    private readonly client: Typist,
    readonly file: string,
    private readonly stepWaitMs = STEP_WAIT_MS,
  ) {}

  /** Waits for the pause question; false when the download has no pause and went straight to `Save as`. */
  async reachesPause(): Promise<boolean> {
    const next = await this.client.sees(/^(Download reached|Save as: ?$)/, this.stepWaitMs);
    this.atSavePrompt = !next.startsWith('Download reached');
    return !this.atSavePrompt;
  }

  proceed(): void {
    this.client.type('proceed');
  }

  /** Answers the pause question with anything but proceed, and sees the download end. */
  async stop(answer = 'no'): Promise<void> {
    this.client.type(answer);
    await this.client.sees('download stopped');
  }

  /** Waits for `Save as:`, gives the name, and returns the saved file as the client reported it. */
  async save(saveAs = `copy-of-${this.file}`, timeoutMs = this.stepWaitMs): Promise<SavedDownload> {
    if (!this.atSavePrompt) await this.client.sees(/^Save as: ?$/, timeoutMs);
    this.atSavePrompt = false;
    this.client.type(saveAs);
    const saved = await this.client.sees(/^Saved \d+ bytes as /);
    const match = /^Saved (\d+) bytes as .* \(sha256 ([0-9a-f]{64})\)\.$/.exec(saved);
    if (!match) throw new ClientOutputError(`${this.client.name}: cannot read the saved file from "${saved}"`);
    return { path: path.join(this.client.downloadsDir, saveAs), bytes: Number(match[1]), sha256: match[2] };
  }
}
