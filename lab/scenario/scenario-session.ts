import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CaptureIncompleteError } from '../capture/capture-errors.ts';
import type { CaptureFile, StartedCaptures } from '../capture/captures.ts';
import {
  CAPTURE_POINT,
  clientCapturePoint,
  pcapFile,
  SCENARIO_FILE,
  toReadableJson,
  type ScenarioKind,
} from '../results/index.ts';
import type { RouterFaults } from '../impairment/router-faults.ts';
import { timelinesFromPcaps } from '../timeline/from-pcaps.ts';
import { withNetworkEvents } from '../timeline/network-events.ts';
import type { DownloadTimeline } from '../timeline/index.ts';
import type { Attacker } from './attacker.ts';
import type { ClientProgram } from './client-program.ts';
import { Evidence } from './evidence.ts';
import type { LabFiles } from './lab-files.ts';
import { endPrograms, writeLogs } from './program-logs.ts';
import type { ServerProgram } from './server-program.ts';

/**
 * The programs and captures of one scenario, and the one way to end them: end the
 * programs (their exit codes decide), close the pcaps, read them. Idempotent, so the
 * runner can call it on failure after the story already did.
 */
export class ScenarioSession {
  server?: ServerProgram;
  readonly clients: Record<string, ClientProgram> = {};
  attacker?: Attacker;
  timelines: DownloadTimeline[] = [];
  /** Which programs wrote on a stream they usually keep silent (their logs say what). */
  chatty: ScenarioKind['chatty'];
  private finishing?: Promise<Evidence>;

  constructor(
    private readonly dir: string,
    private readonly captures: StartedCaptures,
    private readonly files: LabFiles,
    private readonly serverIp: string,
    private readonly pausePercent: number,
    /** What the story did to the router, shown in the timelines. */
    private readonly faults?: RouterFaults,
  ) {}

  finish(): Promise<Evidence> {
    this.finishing ??= this.end();
    return this.finishing;
  }

  private async end(): Promise<Evidence> {
    const clients = Object.values(this.clients);
    let exits: Awaited<ReturnType<typeof endPrograms>> | undefined;
    let incomplete: CaptureFile[] = [];
    try {
      await this.attacker?.stop(this.dir);
      if (this.server) {
        exits = await endPrograms(this.server, clients);
        this.chatty = await writeLogs(this.dir, this.server, clients);
      }
    } finally {
      const closed = await this.captures.stop();
      await writeFile(path.join(this.dir, SCENARIO_FILE.captures), toReadableJson(closed));
      incomplete = closed.filter((c) => c.droppedByKernel > 0 && c.point.startsWith('router-'));
    }
    // The verdicts compare the two router captures: a hole in either would read as a protocol fault.
    if (incomplete.length > 0) throw new CaptureIncompleteError(incomplete);
    const { timelines, sent, received } = await timelinesFromPcaps({
      sentPcap: path.join(this.dir, pcapFile(CAPTURE_POINT.routerServerSide)),
      receivedPcap: path.join(this.dir, pcapFile(CAPTURE_POINT.routerClientSide)),
      clientPcaps: Object.keys(this.clients).map((name) => path.join(this.dir, pcapFile(clientCapturePoint(name)))),
      serverIp: this.serverIp,
      pausePercent: this.pausePercent,
    });
    withNetworkEvents(timelines, this.faults?.events ?? []);
    this.timelines = timelines;
    exits?.throwIfFailed();
    return new Evidence(sent, received, timelines, this.files, this.pausePercent);
  }
}
