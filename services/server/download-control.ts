import type { AckReport } from '../protocol/client-commands.ts';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { serverLine } from '../protocol/server-messages.ts';
import { DownloadSender } from './download-sender.ts';
import type { FileCatalog } from './file-catalog.ts';
import { localBlockSize } from './local-links.ts';
import type { Logger } from './logger.ts';
import { abbreviate, failureReason } from './session-text.ts';

/** What a download needs to know of the connection it belongs to. */
export interface DownloadOwner {
  readonly peer: string;
  /** The user's name, once `connect` succeeded. */
  readonly userName: string | undefined;
  readonly closed: boolean;
  /** The address the client connected to: the download's datagrams leave from it. */
  readonly localAddress: string;
  /** The client's address: the datagrams go there, whatever `udp|` says. */
  readonly remoteAddress: string;
  send(line: string): void;
}

export interface DownloadContext {
  files: FileCatalog;
  pausePercent: number;
  rateMbit?: number;
  fixedRate?: boolean;
  log: Logger;
}

/** The download commands of one connection: at most one download at a time, from `download|f` to its last line. */
export class DownloadControl {
  private download?: { file: string; sender: DownloadSender };
  // The digest of the last download that completed, for a `checksum|` asked right after it.
  private finished?: { file: string; sha256: string };
  /** Bytes of the file per datagram in the downloads this connection starts: the seed's until `blksize|…`. */
  private blockSize = CHUNK_SIZE;

  constructor(
    private readonly owner: DownloadOwner,
    private readonly ctx: DownloadContext,
  ) {}

  get running(): boolean {
    return this.download !== undefined;
  }

  async start(file: string): Promise<void> {
    const { owner } = this;
    if (!owner.userName) return owner.send(serverLine.cantDownload('You are not connected. Use connect first'));
    if (this.download)
      return owner.send(serverLine.cantDownload(`A download is already running (${this.download.file})`));
    let opened;
    try {
      opened = await this.ctx.files.open(file);
    } catch (error) {
      return owner.send(
        serverLine.cantDownload(`The file can't be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`),
      );
    }
    if (!opened) return owner.send(serverLine.fileNotFound);
    if (owner.closed) return void opened.handle.close();
    const pacing = { ...this.ctx, blockSize: this.blockSize };
    const sender = new DownloadSender(opened.handle, opened.size, pacing, (error) => this.fail(error));
    this.download = { file, sender };
    const blocks = this.blockSize === CHUNK_SIZE ? '' : ` of ${this.blockSize} bytes`;
    this.log(
      'download-start',
      `${file} ${opened.size} bytes, ${sender.count} datagrams${blocks}, pause after ${sender.pauseAt}`,
    );
    owner.send(serverLine.downloadStart(sender.count));
  }

  /**
   * `blksize|<bytes>`: the block of the downloads this connection starts from now on (a running one
   * keeps its own). At most what was asked, and no more than leaves this machine's interface as one
   * frame; where no link is known (loopback), what was asked.
   */
  setBlockSize(asked: number): void {
    this.blockSize = Math.min(asked, localBlockSize(this.owner.localAddress) ?? asked);
    this.log('block-size', `${asked} asked, ${this.blockSize} bytes per datagram`);
    this.owner.send(serverLine.blockSize(this.blockSize));
  }

  async openUdp(port: number): Promise<void> {
    const sender = this.download?.sender;
    if (!sender || sender.started) return this.owner.send(serverLine.error('no download is waiting for a UDP port'));
    const { localAddress, remoteAddress } = this.owner;
    await sender.start(localAddress, remoteAddress, port);
    this.log('download-udp', `sending to ${remoteAddress}:${port} from ${localAddress}`);
  }

  resend(seqs: number[]): void {
    const sender = this.download?.sender;
    if (!sender?.started) return this.owner.send(serverLine.error('no download is running'));
    const outcome = sender.resend(seqs);
    const refused = outcome.refused ? `, ${outcome.refused} never sent refused` : '';
    const suppressed = outcome.suppressed ? `, ${outcome.suppressed} resent too recently` : '';
    this.log(
      'resend',
      `${outcome.accepted.length} of ${seqs.length} asked${refused}${suppressed}: ${abbreviate(outcome.accepted)}`,
    );
    if (outcome.refused > 0)
      this.owner.send(serverLine.error(`resend: ${outcome.refused} seqs were never sent and are ignored`));
  }

  /** A progress report: it drives the download's rate. Reports without a download are ignored, not refused:
   * the last ones of a finished download may still be on their way. */
  ack(report: AckReport): void {
    const sender = this.download?.sender;
    if (!sender) return;
    const first = !sender.adaptive;
    sender.ack(report);
    if (first) this.log('download-adaptive', 'the client reports progress: the rate follows the path');
  }

  proceed(): void {
    const sender = this.download?.sender;
    if (!sender?.started || !sender.waitingAtPause)
      return this.owner.send(serverLine.error('no download is waiting at the pause'));
    sender.proceed();
  }

  /** At the pause the download is abandoned; once every datagram went out, it is finished. */
  async stop(): Promise<void> {
    const download = this.download;
    if (!download) return this.owner.send(serverLine.error('no download is running'));
    const { sender, file } = download;
    this.finished = undefined;
    if (!sender.allSent) {
      await this.end('stopped');
      return this.owner.send(serverLine.downloadStopped);
    }
    let lastByte: number | null;
    try {
      lastByte = await sender.lastByte();
    } catch (error) {
      return this.fail(error as Error);
    }
    // Already known when every datagram went out in order, which a complete download did.
    const sha256 = await sender.digest().catch(() => null);
    this.finished = sha256 === null ? undefined : { file, sha256 };
    await this.end(`complete, ${sender.resent} resent`);
    this.owner.send(serverLine.downloadDone(this.owner.userName ?? '', lastByte));
    this.log('download-done', file);
  }

  /**
   * `checksum|<file>`: the SHA-256 of the file this connection is downloading (hashed as it was
   * sent; what was not sent yet is read now) or has just downloaded. Nothing else is hashed on
   * request, so a client cannot make the server read files it is not downloading.
   */
  async checksum(file: string): Promise<void> {
    const running = this.download?.file === file ? this.download.sender : undefined;
    let sha256 = !running && this.finished?.file === file ? this.finished.sha256 : undefined;
    let how = 'of the download that just completed';
    if (running) {
      const streamed = running.hashedAsSent;
      how = `${streamed} of ${running.size} bytes hashed as they were sent${streamed < running.size ? ', the rest read now' : ''}`;
      try {
        sha256 = await running.digest();
      } catch (error) {
        return this.owner.send(serverLine.error(`checksum: ${failureReason(error as Error)}`));
      }
    }
    if (sha256 === undefined)
      return this.owner.send(serverLine.error(`checksum: no download of ${file} on this connection`));
    this.log('checksum', `${file} sha256 ${sha256} (${how})`);
    this.owner.send(serverLine.checksum(sha256));
  }

  /** Releases the UDP socket and the file, whatever state the download is in. */
  async end(how: string): Promise<void> {
    const download = this.download;
    if (!download) return;
    this.download = undefined;
    this.log('download-end', `${download.file} ${how}`);
    await download.sender.close();
  }

  private fail(error: Error): void {
    if (!this.download) return;
    void this.end(`failed: ${error.message}`);
    this.owner.send(serverLine.cantDownload(failureReason(error)));
  }

  private log(event: string, details: string): void {
    this.ctx.log.event(this.owner.peer, event, details);
  }
}
