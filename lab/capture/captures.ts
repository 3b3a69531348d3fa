import path from 'node:path';
import { LabError } from '../engine/lab-error.ts';
import type { SpawnedProcess } from '../host/spawned-process.ts';
import { pcapFile } from '../results/run-folder.ts';
import type { StartedLabTopology } from '../topology/started-lab-topology.ts';
import { capturePoints, type CapturePoint } from './capture-points.ts';

export interface CaptureFile {
  point: string;
  host: string;
  iface: string;
  /** Path on this machine (the results dir is bind-mounted at /results). */
  path: string;
  /** tcpdump's own summary ("N packets captured", "M dropped by kernel"). */
  summary: string;
  /** Packets the kernel dropped before tcpdump could write them: the pcap is missing them. */
  droppedByKernel: number;
  exitCode: number;
}

interface Running {
  point: CapturePoint;
  proc: SpawnedProcess;
}

// Default snaplen (262144) keeps whole packets even at MTU 9000. Without immediate mode
// libpcap hands packets over in blocks, and a SIGINT drops whatever the last block held.
// A 32 MiB ring (-B, in KiB) absorbs a download's bursts while five tcpdumps share two cores.
const tcpdumpArgs = (iface: string, file: string) => [
  'tcpdump',
  '-i',
  iface,
  '-n',
  '-U',
  '--immediate-mode',
  '-B',
  '32768',
  '-Z',
  'root',
  '-w',
  file,
];

/** Starts tcpdump on every capture point and resolves once each one is listening. */
export async function startCaptures(
  topology: StartedLabTopology,
  points: CapturePoint[] = capturePoints(topology),
  timeoutMs = 10_000,
): Promise<StartedCaptures> {
  const running = await Promise.all(
    points.map(async (point) => ({
      point,
      proc: await point.host.spawn(tcpdumpArgs(point.iface, path.posix.join('/results', pcapFile(point.name)))),
    })),
  );
  const captures = new StartedCaptures(topology.resultsDir, running);
  try {
    // tcpdump says "listening on" once the socket is bound: from then on nothing is missed.
    await Promise.all(running.map(({ proc }) => proc.stderr.waitFor(/listening on/, timeoutMs)));
  } catch (err) {
    await captures.stop();
    throw new LabError('LAB_ERR_CAPTURE', `tcpdump did not start: ${(err as Error).message}`);
  }
  return captures;
}

export class StartedCaptures {
  private stopping: Promise<CaptureFile[]> | undefined;

  constructor(
    private readonly resultsDir: string,
    private readonly running: Running[],
  ) {}

  points(): string[] {
    return this.running.map((r) => r.point.name);
  }

  /**
   * SIGINT makes tcpdump flush and close the file; the pcaps are only
   * complete once each tcpdump has exited. A capture on a host that was
   * killed ends with the host: its file holds what it had written (-U).
   */
  stop(): Promise<CaptureFile[]> {
    this.stopping ??= Promise.all(this.running.map((r) => this.stopOne(r)));
    return this.stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private async stopOne({ point, proc }: Running): Promise<CaptureFile> {
    await proc.kill('SIGINT').catch(() => undefined);
    const exitCode = await Promise.race([proc.exitCode, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
    const summary = proc.stderr.lines.filter((l) => /packets? (captured|received|dropped)/.test(l)).join('; ');
    return {
      point: point.name,
      host: point.host.name,
      iface: point.iface,
      path: path.join(this.resultsDir, pcapFile(point.name)),
      summary,
      droppedByKernel: Number(/(\d+) packets? dropped by kernel/.exec(summary)?.[1] ?? 0),
      exitCode,
    };
  }
}
