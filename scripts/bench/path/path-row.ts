import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ethernetFrameBytes, frameBlockSize } from '../../../services/protocol/block-size.ts';
import { makePatternFile } from '../../stress/fixtures.ts';
import { sha256File } from '../files.ts';
import { EmulatedPath, type StartedEmulatedPath } from './emulated-path.ts';
import { ProjectServer, projectDownload } from './project-peer.ts';
import { tcpCongestionControl, tcpTransfer } from './tcp-peer.ts';
import { uftpTransfer } from './uftp-peer.ts';

export type PeerName = 'project' | 'seed' | 'tcp' | 'uftp';
export const PEERS: readonly PeerName[] = ['project', 'seed', 'tcp', 'uftp'];

export interface RowSpec {
  rateMbit: number;
  lossPercent: number;
  mtu: number;
  sizeBytes: number;
}

export interface PeerResult {
  peer: PeerName;
  label: string;
  goodputMbit?: number;
  percentOfLimit?: number;
  ms?: number;
  resent?: number | null;
  /** Goodput of each run, when the row ran more than once (the figures above are their medians). */
  runsMbit?: number[];
  /** Why there is no figure: not finished in time, not installed, a wrong copy. */
  error?: string;
}

export interface RowResult extends RowSpec {
  limitMbit: number;
  tcpCongestionControl: string;
  peers: PeerResult[];
}

/**
 * The most file bytes per second the path can carry: rate × (1 − loss) × block / (block + 47),
 * a full datagram's block among its header (5), UDP (8), IPv4 (20) and Ethernet (14) bytes. The
 * block is the one the client fits to the path's MTU: 2043 at 1500 (2043/2090), 8967 at 9000.
 */
export function pathLimitMbit(rateMbit: number, lossPercent: number, mtu: number): number {
  const block = frameBlockSize(mtu);
  return rateMbit * (1 - lossPercent / 100) * (block / ethernetFrameBytes(block));
}

const LABELS: Record<PeerName, string> = {
  project: 'this project (defaults)',
  seed: 'this project, --recovery seed',
  tcp: 'TCP',
  uftp: 'uftp (told the rate)',
};

interface RowOptions {
  peers: readonly PeerName[];
  workDir: string;
  timeoutMs: number;
  /** Each peer this many times, taking turns, so that a noisy moment hits all of them alike. */
  runs?: number;
  uftp: boolean;
  log: (line: string) => void;
  profileDir?: string;
}

/** What every peer of one row shares: the path, the project's server, the file and its hash. */
interface Row {
  spec: RowSpec;
  opts: RowOptions;
  dir: string;
  net: StartedEmulatedPath;
  server: ProjectServer;
  file: string;
  expected: string;
  limitMbit: number;
}

/** One row of the matrix: a fresh path, one file, every peer one after the other over it. */
export async function runRow(spec: RowSpec, opts: RowOptions): Promise<RowResult> {
  const dir = path.join(opts.workDir, `row-${spec.rateMbit}-${spec.lossPercent}-${spec.mtu}`);
  const filesDir = path.join(dir, 'files');
  await mkdir(path.join(dir, 'downloads'), { recursive: true });
  const { file, sha256: expected } = await makePatternFile(filesDir, 'bench.bin', spec.sizeBytes);
  await using net = await new EmulatedPath()
    .withRate(spec.rateMbit)
    .withLoss(spec.lossPercent)
    .withMtu(spec.mtu)
    .start();
  const limitMbit = pathLimitMbit(spec.rateMbit, spec.lossPercent, spec.mtu);
  const server = await ProjectServer.start(net, filesDir, ['--pause', '100'], opts.profileDir);
  const row: Row = { spec, opts, dir, net, server, file, expected, limitMbit };
  const runs = new Map<PeerName, PeerResult[]>(opts.peers.map((p) => [p, []]));
  try {
    for (let run = 0; run < (opts.runs ?? 1); run++) {
      for (const peer of opts.peers) {
        const result = await runPeer(row, peer);
        runs.get(peer)!.push(result);
        opts.log(`  ${LABELS[peer].padEnd(30)} ${describe(result)}`);
      }
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const peers = opts.peers.map((peer) => medianOf(runs.get(peer)!, limitMbit));
  return { ...spec, limitMbit, tcpCongestionControl: await tcpCongestionControl(net), peers };
}

/** One peer over the row's path: its goodput, or why there is none; its copy removed after the check. */
async function runPeer(row: Row, peer: PeerName): Promise<PeerResult> {
  const { spec, opts } = row;
  const base = { peer, label: LABELS[peer] };
  if (peer === 'uftp' && !opts.uftp) return { ...base, error: 'not installed' };
  let copy: string | undefined;
  try {
    const done = await transfer(row, peer);
    copy = done.copy;
    if ((await sha256File(copy)) !== row.expected) return { ...base, error: 'copy differs (SHA-256)' };
    const goodputMbit = (spec.sizeBytes * 8) / done.ms / 1000;
    return {
      ...base,
      ms: done.ms,
      resent: done.resent,
      goodputMbit,
      percentOfLimit: (100 * goodputMbit) / row.limitMbit,
    };
  } catch (error) {
    const message = (error as Error).message;
    return {
      ...base,
      error: /within \d+ ms/.test(message) ? `not finished after ${opts.timeoutMs / 1000} s` : message,
    };
  } finally {
    if (copy) await rm(copy, { force: true, recursive: true });
  }
}

/** Moves the file with one peer; where its copy landed, how long it took, and the project's resends. */
async function transfer(row: Row, peer: PeerName): Promise<{ ms: number; copy: string; resent?: number | null }> {
  const { net, file, dir, opts } = row;
  if (peer === 'tcp') {
    const copy = path.join(dir, 'downloads', 'tcp.bin');
    const { ms } = await tcpTransfer(net, { file, out: copy, timeoutMs: opts.timeoutMs });
    return { ms, copy };
  }
  if (peer === 'uftp') {
    const dest = path.join(dir, 'downloads', 'uftp');
    const { ms } = await uftpTransfer(net, {
      file,
      destDir: dest,
      rateMbit: row.spec.rateMbit,
      timeoutMs: opts.timeoutMs,
    });
    return { ms, copy: path.join(dest, path.basename(file)) };
  }
  const done = await projectDownload(net, row.server, {
    file: path.basename(file),
    clientIndex: 0,
    downloadsDir: path.join(dir, 'downloads'),
    clientArgs: ['--pause', '100', ...(peer === 'seed' ? ['--recovery', 'seed'] : [])],
    timeoutMs: opts.timeoutMs,
    name: peer,
    profileDir: opts.profileDir,
  });
  return { ms: done.ms, copy: done.savedAs, resent: done.resent };
}

/** One peer's runs as one result: the median run's figures; any failed run makes the peer's figure a failure. */
function medianOf(results: PeerResult[], limitMbit: number): PeerResult {
  if (results.length === 1) return results[0];
  const failed = results.filter((r) => r.error);
  if (failed.length > 0)
    return { ...failed[0], error: `${failed[0].error} (${failed.length} of ${results.length} runs)` };
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const ms = middle(results.map((r) => r.ms!));
  const goodputMbit = (results[0].goodputMbit! * results[0].ms!) / ms;
  const counts = results.map((r) => r.resent);
  const resent = counts.every((c) => typeof c === 'number') ? middle(counts) : results[0].resent;
  return {
    ...results[0],
    ms,
    goodputMbit,
    percentOfLimit: (100 * goodputMbit) / limitMbit,
    resent,
    runsMbit: results.map((r) => r.goodputMbit!),
  };
}

function describe(r: PeerResult): string {
  if (r.error) return r.error;
  const resent = r.resent === undefined ? '' : `, ${r.resent ?? '?'} resent`;
  return `${r.goodputMbit!.toFixed(1)} Mbit/s (${r.percentOfLimit!.toFixed(0)} % of limit), ${(r.ms! / 1000).toFixed(2)} s${resent}`;
}
