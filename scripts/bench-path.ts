/**
 * Downloads over an emulated path (server → router with a bottleneck → client, in network
 * namespaces) with this project's real programs and with reference transfers (TCP, uftp) over
 * the very same path, one after the other, and prints goodput as a share of the path's limit.
 * Needs root. Usage: npm run bench:path [-- --rate 100 --loss 0,5 --size-mib 10 --only project,tcp --json out.json]
 */
import { Command, InvalidArgumentError } from 'commander';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { NAMESPACE_PREFIX } from './bench/path/emulated-path.ts';
import { removeEverythingNow, staleNamespaces } from './bench/path/netns.ts';
import { PEERS, runRow, type PeerName, type RowResult, type RowSpec } from './bench/path/path-row.ts';
import { SHARE_KINDS, runShareRow, type ShareKind, type ShareResult } from './bench/path/share-row.ts';
import { formatRow, formatShare } from './bench/path/table.ts';
import { ensureUftp } from './bench/path/install-uftp.ts';
import { writeProgramBundles } from './build/program-bundles.ts';

const numbers = (value: string) => {
  const list = value.split(',').map(Number);
  if (list.some((n) => !Number.isFinite(n) || n < 0))
    throw new InvalidArgumentError('expected numbers separated by commas');
  return list;
};
const peers = (value: string) => {
  const list = value.split(',') as PeerName[];
  const unknown = list.filter((p) => !PEERS.includes(p));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`unknown peer ${unknown.join(', ')} (peers: ${PEERS.join(', ')})`);
  return list;
};

const shares = (value: string) => {
  if (value === 'none') return [];
  const list = value.split(',') as ShareKind[];
  const unknown = list.filter((k) => !SHARE_KINDS.includes(k));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`unknown share row ${unknown.join(', ')} (${SHARE_KINDS.join(', ')})`);
  return list;
};

const program = new Command('bench:path')
  .description('Goodput of this project, TCP and uftp over the same emulated path, as a share of the path limit.')
  .option('--rate <mbit,...>', 'bottleneck rates in Mbit/s (default: the full matrix)', numbers)
  .option('--loss <percent,...>', 'random loss after the bottleneck, in percent', numbers)
  .option('--mtu <bytes>', 'MTU of every link (default 1500; 9000 for rates of 1000 and more)', Number)
  .option('--size-mib <n>', 'file size (default 10 MiB; 50 MiB for rates of 1000 and more)', Number)
  .option('--only <peer,...>', `peers to run (${PEERS.join(', ')})`, peers)
  .option(
    '--share <kind,...>',
    `share rows to run (${SHARE_KINDS.join(', ')}, or none; default all with the full matrix)`,
    shares,
  )
  .option('--runs <n>', 'run each peer this many times per row, taking turns, and print the medians', Number, 1)
  .option('--timeout-s <n>', 'give up on a transfer after this long', Number, 60)
  .option('--json <file>', 'also write every figure to this file')
  .option('--cpu-prof <dir>', "write the server's and the client's CPU profiles (.cpuprofile) to this folder")
  .showHelpAfterError();

const opts = program.parse().opts<{
  rate?: number[];
  loss?: number[];
  mtu?: number;
  sizeMib?: number;
  only?: PeerName[];
  share?: ShareKind[];
  runs: number;
  timeoutS: number;
  json?: string;
  cpuProf?: string;
}>();

const DEFAULT_MATRIX: Array<[number, number[]]> = [
  [100, [0, 1, 5, 10, 30]],
  [20, [0, 5]],
  [1000, [0, 5]],
];

function rows(): RowSpec[] {
  const matrix: Array<[number, number[]]> =
    opts.rate || opts.loss ? (opts.rate ?? [100]).map((rate) => [rate, opts.loss ?? [0]]) : DEFAULT_MATRIX;
  return matrix.flatMap(([rateMbit, losses]) =>
    losses.map((lossPercent) => ({
      rateMbit,
      lossPercent,
      mtu: opts.mtu ?? (rateMbit >= 1000 ? 9000 : 1500),
      sizeBytes: Math.round((opts.sizeMib ?? (rateMbit >= 1000 ? 50 : 10)) * 2 ** 20),
    })),
  );
}

if (process.getuid?.() !== 0) program.error('bench:path builds network namespaces: run it as root.');
for (const stale of staleNamespaces(NAMESPACE_PREFIX)) {
  console.log(`removing namespace ${stale} left by an earlier run`);
  await import('node:child_process').then((cp) => cp.execFileSync('ip', ['netns', 'del', stale]));
}

await writeProgramBundles();
const workDir = await mkdtemp(path.join(tmpdir(), 'bench-path-'));
const cleanupAndExit = (code: number) => {
  removeEverythingNow();
  void rm(workDir, { recursive: true, force: true }).finally(() => process.exit(code));
};
process.once('SIGINT', () => cleanupAndExit(130));
process.once('SIGTERM', () => cleanupAndExit(143));

const chosenPeers = opts.only ?? PEERS;
const uftp = chosenPeers.includes('uftp') ? await ensureUftp((line) => console.log(line)) : false;
function machine(): string {
  return `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
const results: RowResult[] = [];
const shareResults: ShareResult[] = [];
// The share rows come with the full matrix, or when asked for.
const shareKinds = opts.share ?? (opts.rate || opts.loss || opts.only ? [] : [...SHARE_KINDS]);
try {
  // Only share rows when they alone were asked for.
  const matrix = opts.share && !opts.rate && !opts.loss ? [] : rows();
  for (const spec of matrix) {
    console.log(`\n▶ ${spec.rateMbit} Mbit/s, ${spec.lossPercent} % loss, MTU ${spec.mtu}`);
    const row = await runRow(spec, {
      peers: chosenPeers,
      workDir,
      timeoutMs: opts.timeoutS * 1000,
      runs: opts.runs,
      uftp,
      log: console.log,
      profileDir: opts.cpuProf && path.resolve(opts.cpuProf),
    });
    results.push(row);
    console.log(`\n${formatRow(row)}`);
  }
  for (const kind of shareKinds) {
    console.log(`\n▶ share: ${kind}`);
    const sizeBytes = (kind === 'chat' ? 10 : 30) * 2 ** 20;
    const row = await runShareRow(kind, { rateMbit: 100, sizeBytes, workDir, timeoutMs: opts.timeoutS * 1000 });
    shareResults.push(row);
    console.log(`\n${formatShare(row)}`);
  }
  // The project's own download not finishing, or any copy differing, is a failure, not a figure (CI runs one short
  // row for this); the seed's recovery not finishing in time on a path it was not told about is a figure.
  const broken = results.flatMap((r) =>
    r.peers
      .filter((p) => p.error && (p.peer === 'project' || p.error.startsWith('copy differs')))
      .map((p) => `${p.label}: ${p.error}`),
  );
  if (broken.length > 0) {
    console.log(`\n${broken.join('\n')}`);
    process.exitCode = 1;
  }
  if (opts.json) {
    const json = { date: new Date().toISOString(), machine: machine(), rows: results, shares: shareResults };
    await writeFile(opts.json, `${JSON.stringify(json, null, 2)}\n`);
  }
} finally {
  removeEverythingNow();
  await rm(workDir, { recursive: true, force: true });
}
