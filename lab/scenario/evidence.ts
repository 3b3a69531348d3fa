import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  carriedBlocksOf,
  downloadCompleted,
  downloadOf,
  downloadSeconds,
  downloadStopped,
  everyDropResent,
  ExpectationFailed,
  lineNotSent,
  lineSent,
  noResendWithoutRequest,
  notRequested,
  nothingPastPauseBeforeProceed,
  requestedExactly,
  resentExactly,
  sawForgedDatagrams,
  sawOutage,
  sawReordering,
  sha256Equal,
  type ForgedDatagram,
  type Outage,
  type Overtaken,
} from '../assertions/index.ts';
import type { DecodedCapture } from '../pcap/index.ts';
import type { DownloadTimeline } from '../timeline/index.ts';
import type { SavedDownload } from './client-program.ts';
import type { LabFiles } from './lab-files.ts';

/** Anything that has an address in the topology: a program, or an IP. */
export type Party = { ip: string } | string;
const ipOf = (p: Party) => (typeof p === 'string' ? p : p.ip);

/**
 * What the captures say happened, with the checks a scenario makes on it. Every check
 * throws ExpectationFailed naming the broken promise and its evidence.
 */
export class Evidence {
  constructor(
    /** Router, server side: everything the server sent, before the impairment. */
    readonly serverSide: DecodedCapture,
    /** Router, client side: what was left after it. */
    readonly clientSide: DecodedCapture,
    readonly timelines: DownloadTimeline[],
    private readonly files: LabFiles,
  ) {}

  /** The download `by` a client of `file` (the nth, from 0, if it downloaded it more than once). */
  download(by: Party, file: string, nth = 0): DownloadChecks {
    return new DownloadChecks(downloadOf(this.timelines, { client: ipOf(by), file, nth }));
  }

  /** The exact line crossed the wire from one host to the other (as the server's side of the router saw it). */
  lineSent(from: Party, to: Party, line: string | RegExp): void {
    lineSent(this.serverSide, { from: ipOf(from), to: ipOf(to), line });
  }

  lineNotSent(from: Party, to: Party, line: string | RegExp): void {
    lineNotSent(this.serverSide, { from: ipOf(from), to: ipOf(to), line });
  }

  /**
   * Datagrams of the client's download of `file` that carried the server's address but not the
   * file's bytes crossed the client's network (at least `atLeast`), and none of them left the server.
   */
  async sawForgedDatagrams(to: Party, file: string, atLeast = 1): Promise<ForgedDatagram[]> {
    const t = downloadOf(this.timelines, { client: ipOf(to), file, nth: 0 });
    return sawForgedDatagrams(this.clientSide, this.serverSide, t, await readFile(this.files.path(file)), atLeast);
  }

  /** The saved copy holds the very bytes of the server's file. */
  async sameContent(saved: SavedDownload | null, original: string): Promise<void> {
    if (!saved) throw new ExpectationFailed('sameContent', `no file was saved where ${original} was expected`);
    await sha256Equal({ sha256: saved.sha256, label: path.basename(saved.path) }, this.files.path(original));
    await sha256Equal(saved.path, this.files.path(original));
  }
}

/** Checks on one download's timeline; each returns this, so they read as a list. */
export class DownloadChecks {
  constructor(readonly timeline: DownloadTimeline) {}

  completed(): this {
    downloadCompleted(this.timeline);
    return this;
  }

  stopped(): this {
    downloadStopped(this.timeline);
    return this;
  }

  everyDropResent(): this {
    everyDropResent(this.timeline);
    return this;
  }

  noResendWithoutRequest(): this {
    noResendWithoutRequest(this.timeline);
    return this;
  }

  nothingPastPauseBeforeProceed(): this {
    nothingPastPauseBeforeProceed(this.timeline);
    return this;
  }

  /** Every full datagram carried `block` bytes of the file: the block the client and server agreed on. */
  carriedBlocksOf(block: number): this {
    carriedBlocksOf(this.timeline, block);
    return this;
  }

  /** Exactly these seqs were asked for, each `times` times. */
  requestedExactly(seqs: number[], times = 1): this {
    requestedExactly(this.timeline, seqs, times);
    return this;
  }

  /** Exactly these seqs were resent, each `times` times. */
  resentExactly(seqs: number[], times = 1): this {
    resentExactly(this.timeline, seqs, times);
    return this;
  }

  /**
   * The download lived through an outage: for at least `atLeastSeconds` no datagram reached the
   * client while the link lost the server's, and resends arrived after it.
   */
  sawOutage(atLeastSeconds: number): this {
    this.outage = sawOutage(this.timeline, atLeastSeconds);
    return this;
  }

  /** The outage sawOutage() found, to report it. */
  outage?: Outage;

  /** At least `atLeast` datagrams arrived after ones sent later than them: see `overtaken`. */
  sawReordering(atLeast = 1): this {
    this.overtaken = sawReordering(this.timeline, atLeast);
    return this;
  }

  /** What sawReordering() found: each late datagram, by how many positions and ms. */
  overtaken: Overtaken[] = [];

  /** None of these seqs was asked for again. */
  notRequested(seqs: readonly number[]): this {
    notRequested(this.timeline, seqs);
    return this;
  }

  /** Seconds from `download|<file>` to the server's last line. */
  get seconds(): number {
    return downloadSeconds(this.timeline);
  }

  /** Some datagrams were lost on the link (so the test did test recovery). */
  sawDrops(atLeast = 1): this {
    if (this.timeline.counts.dropped < atLeast) {
      throw new ExpectationFailed(
        'sawDrops',
        `expected at least ${atLeast} dropped datagrams, the link dropped ${this.timeline.counts.dropped}`,
      );
    }
    return this;
  }
}
