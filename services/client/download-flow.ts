import { CHUNK_SIZE, pauseBoundary } from '../protocol/datagram.ts';
import type { ServerMessage } from '../protocol/server-messages.ts';
import type { ControlConnection } from './control-connection.ts';
import { DownloadReceiver } from './download-receiver.ts';
import { ClientError, reasonOf } from './errors.ts';
import type { Progress } from './progress.ts';
import type { RecoveryOptions } from './recovery.ts';
import { lastByteReport, saveLoop } from './save-prompt.ts';
import { isType, waitForServer } from './server-wait.ts';
import { TempFile } from './temp-file.ts';
import { until } from './until-aborted.ts';
import { askChecksum, verifyDownload, type ChecksumAnswer } from './verify-download.ts';

export interface DownloadDeps {
  connection: ControlConnection;
  /** Asks the user; a download's questions go ahead of the command loop. */
  ask: (prompt: string, signal: AbortSignal) => Promise<string | null>;
  print: (line: string) => void;
  progress: (label: string, total: number) => Progress;
  downloadsDir: string;
  /** Must match the server's --pause: the client has to know where the first part ends. */
  pausePercent: number;
  /** Bytes of the file per datagram, as agreed with the server (the seed's CHUNK_SIZE by default). */
  blockSize?: number;
  /** `adaptive` (default): early loss detection and progress reports; `seed`: the original timeout rounds. */
  recovery?: RecoveryOptions;
  /** Check the whole file against the server's checksum before calling it complete (default true). */
  verify?: boolean;
  /** Ctrl-C or `disconnect`: give up, removing the temp file. */
  signal?: AbortSignal;
  initialTimeoutMs?: number;
  serverReplyMs?: number;
}

/** `corrupt`: the bytes were not the server's, even after fetching again; nothing was saved. */
export type DownloadOutcome = 'saved' | 'discarded' | 'stopped' | 'aborted' | 'corrupt';

/** One download from `|N` to the saved file: UDP receive, the pause question, the end check, the save. */
export async function runDownload(deps: DownloadDeps, file: string, count: number): Promise<DownloadOutcome> {
  return new DownloadRun(deps, file, count).run();
}

/** The state of one download while it runs: who may end it, what it holds, and the steps from `|N` to saved. */
class DownloadRun {
  private readonly cancel = new AbortController();
  private readonly replyMs: number;
  // Set once we sent `stop` ourselves: the server's `download stopped` is then the answer, not an abort.
  private ending = false;
  private verifiedSha256: string | undefined;
  /** The server's checksum, asked for as the last datagrams came. */
  private checksum: Promise<ChecksumAnswer | null> | null = null;
  private temp: TempFile | null = null;
  private receiver: DownloadReceiver | null = null;

  constructor(
    private readonly deps: DownloadDeps,
    private readonly file: string,
    private readonly count: number,
  ) {
    this.replyMs = deps.serverReplyMs ?? 10_000;
  }

  async run(): Promise<DownloadOutcome> {
    const { connection, signal } = this.deps;
    const abort = () => this.cancel.abort();
    const offClose = connection.onClose(abort);
    // The server may end the download on its own; only our own `stop` expects it.
    const offMessage = connection.onMessage((m) => {
      if (m.type === 'cant_download' || (m.type === 'download_stopped' && !this.ending)) abort();
      if (m.type === 'error' && /\back\b/.test(m.reason)) this.receiver?.serverIgnoresReports();
    });
    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) abort();
    try {
      return await this.steps();
    } catch (error) {
      this.deps.print(`Download of ${this.file} failed: ${reasonOf(error)}`);
      return 'aborted';
    } finally {
      offClose();
      offMessage();
      signal?.removeEventListener('abort', abort);
      this.receiver?.close();
      await this.temp?.remove();
    }
  }

  private async steps(): Promise<DownloadOutcome> {
    const { print } = this.deps;
    const { blockSize } = this.deps;
    const blocks = blockSize === undefined || blockSize === CHUNK_SIZE ? '' : ` of ${blockSize} bytes`;
    print(`Downloading ${this.file}: ${this.count} datagrams${blocks}.`);
    try {
      this.temp = await TempFile.create(this.deps.downloadsDir, this.file);
    } catch (error) {
      print(error instanceof ClientError ? error.message : reasonOf(error));
      await this.stop('download_stopped', 'download_done');
      return 'aborted';
    }
    if (this.count > 0) {
      const early = await this.receive(this.temp);
      if (early) return early;
    }
    return this.finish(this.temp);
  }

  /** Every datagram, with the pause question between the parts and the check against the server's checksum. */
  private async receive(temp: TempFile): Promise<DownloadOutcome | null> {
    const { connection, print } = this.deps;
    const { count, file } = this;
    const progress = this.deps.progress(file, count);
    const receiver = await this.openReceiver(temp, progress);
    connection.send({ type: 'udp', port: receiver.port });
    const pauseAt = pauseBoundary(count, this.deps.pausePercent);
    if (!(await until(receiver.receivePart(0, pauseAt), this.cancel.signal))) return this.cancelled();
    if (pauseAt < count) {
      progress.suspend();
      const atPause = await this.askAtPause(pauseAt);
      if (atPause) return atPause;
      progress.resume();
      if (!(await until(receiver.receivePart(pauseAt, count), this.cancel.signal))) return this.cancelled();
    }
    progress.done();
    if (this.deps.verify === false) return null;
    const verdict = await verifyDownload({
      ...{ connection, file, count, temp, receiver, print },
      ...{ replyMs: this.replyMs, signal: this.cancel.signal },
      onVerified: (sha256) => (this.verifiedSha256 = sha256),
      asked: this.checksum ?? undefined,
    });
    if (verdict === 'aborted') return this.cancelled();
    // Known to be wrong: never saved under the user's name; the temp file goes when the run ends.
    if (verdict === 'corrupt') {
      await this.stop('download_done', 'download_stopped');
      return 'corrupt';
    }
    return null;
  }

  private async openReceiver(temp: TempFile, progress: Progress): Promise<DownloadReceiver> {
    const { connection, print } = this.deps;
    this.receiver = await DownloadReceiver.open({
      count: this.count,
      blockSize: this.deps.blockSize,
      localAddress: connection.localAddress,
      serverAddress: connection.remoteAddress,
      file: temp,
      sendLine: (line) => connection.sendLine(line),
      recovery: this.deps.recovery,
      // The seed's rounds are few and worth watching; adaptive requests come by the hundred and are summed up at the end.
      onResend: (k, t) => {
        if (t !== undefined) print(`Requested resend of ${k} datagrams (timeout ${t} ms).`);
      },
      onProgress: (held) => progress.update(held),
      onNearEnd: () => {
        if (this.deps.verify === false) return;
        const { connection } = this.deps;
        this.checksum = askChecksum({ connection, file: this.file, replyMs: this.replyMs, signal: this.cancel.signal });
      },
      runningDigest: this.deps.verify !== false,
      initialTimeoutMs: this.deps.initialTimeoutMs,
    });
    return this.receiver;
  }

  /** The seed's question at H: `proceed` goes on (null); anything else stops the download. */
  private async askAtPause(pauseAt: number): Promise<DownloadOutcome | null> {
    const { count } = this;
    const percent = Math.floor((pauseAt * 100) / count);
    const prompt = `Download reached ${percent}% (${pauseAt}/${count} datagrams). Type proceed to continue, anything else to stop: `;
    const answer = await this.deps.ask(prompt, this.cancel.signal);
    if (this.cancel.signal.aborted) return this.cancelled();
    if (answer?.trim() !== 'proceed') {
      await this.stop('download_stopped', 'download_done');
      return 'stopped';
    }
    this.deps.connection.send({ type: 'proceed' });
    return null;
  }

  /** `stop`, the server's last byte against ours, the figures, and the save. */
  private async finish(temp: TempFile): Promise<DownloadOutcome> {
    const { print } = this.deps;
    const { receiver } = this;
    const done = await this.stop('download_done');
    if (this.cancel.signal.aborted) return this.cancelled();
    await temp.flush();
    await temp.close();
    const stats = receiver?.stats;
    print(
      `Download complete: ${this.count} datagrams, ${stats?.resendRequested ?? 0} resent, ${receiver?.ignored ?? 0} ignored.`,
    );
    print(lastByteReport(done?.lastByte, receiver?.lastByte ?? null));
    receiver?.close();
    const outcome = await saveLoop(this.deps, temp.path, this.verifiedSha256);
    if (outcome === 'saved') this.temp = null;
    return outcome;
  }

  /** Sends `stop` and waits for the server's answer of one of the given kinds (null past the reply time). */
  private stop<K extends ServerMessage['type']>(...kinds: K[]) {
    this.ending = true;
    this.deps.connection.send({ type: 'stop' });
    return waitForServer(this.deps.connection, isType(...kinds), this.replyMs, this.cancel.signal);
  }

  private cancelled(): DownloadOutcome {
    this.deps.print(`Download of ${this.file} cancelled.`);
    return 'aborted';
  }
}
