import path from 'node:path';
import type { SpawnedProcess } from '../host/spawned-process.ts';
import { pcapFile } from '../results/run-folder.ts';
import { MAX_LAB_MTU } from '../topology/lab-networks.ts';
import type { StartedLabTopology } from '../topology/started-lab-topology.ts';
import { CaptureStartError } from './capture-errors.ts';
import { capturePoints, type CapturePoint } from './capture-points.ts';

export interface CaptureFile {
  point: string;
  host: string;
  iface: string;
  /** The pcap, relative to the scenario's folder (copied out of its host once tcpdump had closed it): captures.json stays true when the run folder moves. */
  file: string;
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

// Without immediate mode libpcap hands packets over in blocks, and a SIGINT drops whatever the
// last block held (measured: 0 of 10 datagrams sent just before the stop). In immediate mode the
// ring has one fixed-size slot per packet, sized by the snaplen; at the default snaplen with
// offloads on a slot is 64 KiB, so a 32 MiB ring held only 512 packets while tcpdump waited for a
// core. A snaplen of the MTU plus room for the link header keeps every packet whole (nothing
// larger crosses a lab link: GSO is limited to one segment) and makes a slot about 9 KiB (the largest MTU a scenario may give): then
// 128 MiB held all 8,000 datagrams of a burst sent while tcpdump was stopped, where 32 MiB held
// 3,660. The router's two captures judge the wire, so they get the large ring.
export const CAPTURE_SNAPLEN = MAX_LAB_MTU + 100;
export const captureBufferKiB = (point: CapturePoint) => (point.host.role === 'router' ? 131_072 : 65_536);

const tcpdumpArgs = (point: CapturePoint, file: string) => [
  'tcpdump',
  '-i',
  point.iface,
  '-n',
  '-U',
  '--immediate-mode',
  '-s',
  String(CAPTURE_SNAPLEN),
  '-B',
  String(captureBufferKiB(point)),
  '-Z',
  'root',
  '-w',
  file,
];

/**
 * Runs a command until its input ends, then stops it with SIGTERM (tcpdump closes its file as on
 * SIGINT, which a shell withholds from a job it started in the background) and waits for its exit
 * code. Closing the attached stdin stops a capture with no `docker exec` of its own: each costs the
 * engine a runc start, and a scenario stops five or six captures at once.
 */
function untilEndOfInput(cmd: readonly string[]): string[] {
  return ['sh', '-c', '"$@" & p=$!; read -r _ || true; kill -TERM "$p" 2>/dev/null; wait "$p"', 'until-eof', ...cmd];
}

/** Starts tcpdump on every capture point and resolves once each one is listening. */
export async function startCaptures(
  topology: StartedLabTopology,
  points: CapturePoint[] = capturePoints(topology),
  timeoutMs = 10_000,
): Promise<StartedCaptures> {
  const running = await Promise.all(
    points.map(async (point) => ({
      point,
      proc: await point.host.spawn(
        untilEndOfInput(tcpdumpArgs(point, path.posix.join('/results', pcapFile(point.name)))),
        {
          stdin: true,
        },
      ),
    })),
  );
  const captures = new StartedCaptures(topology.resultsDir, running);
  try {
    // tcpdump says "listening on" once the socket is bound: from then on nothing is missed.
    await Promise.all(running.map(({ proc }) => proc.stderr.waitFor(/listening on/, timeoutMs)));
  } catch (err) {
    await captures.stop();
    throw new CaptureStartError((err as Error).message);
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
    proc.closeStdin();
    const exitCode = await Promise.race([proc.exitCode, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
    const summary = proc.stderr.lines.filter((l) => /packets? (captured|received|dropped)/.test(l)).join('; ');
    await point.host.copyOut(path.posix.join('/results', pcapFile(point.name)), this.resultsDir);
    return {
      point: point.name,
      host: point.host.name,
      iface: point.iface,
      file: pcapFile(point.name),
      summary,
      droppedByKernel: Number(/(\d+) packets? dropped by kernel/.exec(summary)?.[1] ?? 0),
      exitCode,
    };
  }
}
