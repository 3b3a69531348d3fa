/**
 * The whole lab, one scenario at a time and then with the default --jobs, one run after the
 * other on this machine with one seed; then --repeat 5. Prints each run's wall time and the lab
 * process's peak memory, and checks what parallelism must not change: the verdicts, the drops a
 * plan decided (chosen or seeded; what a queue's overflow drops besides depends on timing), and
 * no packet lost by a router capture. Run it alone on the machine (on the project's machines: through /work/heavy.sh).
 * Usage: npm run bench:lab [-- --seed N --repeat 5 --skip-repeat --jobs N]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CAPTURE_POINT, RUN_FILE, SCENARIO_FILE, scenarioDir, type RunSummary } from '../lab/results/index.ts';
import { dockerClient } from '../lab/engine/docker-client.ts';
import { RUN_LABEL } from '../lab/engine/labels.ts';
import { peakRss, REPO } from './bench/processes.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '20261126' },
    repeat: { type: 'string', default: '5' },
    'skip-repeat': { type: 'boolean', default: false },
    jobs: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

interface LabRunFigures {
  label: string;
  wallS: number;
  peakRssMiB: number;
  summary: RunSummary;
  runDir: string;
  code: number | null;
  /** Containers and networks of the run still on the engine after it ended ('' when none). */
  left: string;
}

/** What a run left on the engine: its containers and networks carry its run id. */
async function leftBehind(runId: string): Promise<string> {
  const filters = JSON.stringify({ label: [`${RUN_LABEL}=${runId}`] });
  const docker = dockerClient();
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return containers.length + networks.length === 0
    ? ''
    : `${containers.length} containers, ${networks.length} networks`;
}

const out = await mkdtemp(path.join(tmpdir(), 'bench-lab-'));

/** One `npm run lab` as a user runs it (its own process), its wall time, and its peak RSS sampled from /proc. */
async function lab(label: string, args: string[]): Promise<LabRunFigures> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scenarios/main.ts', '--seed', values.seed, '--out', out, ...args],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  let peak = 0;
  const sampler = setInterval(() => {
    void peakRss(child.pid!).then(
      (bytes) => (peak = Math.max(peak, bytes)),
      () => undefined,
    );
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(sampler);
  const wallS = (performance.now() - started) / 1000;
  const runDir = /results in (\S+)/.exec(output)?.[1];
  if (!runDir) throw new Error(`${label}: no run folder in the output:\n${output}`);
  const summary = JSON.parse(await readFile(path.join(runDir, RUN_FILE.summary), 'utf8')) as RunSummary;
  const left = await leftBehind(summary.runId);
  console.log(
    `${label}: ${wallS.toFixed(1)} s, exit ${code}, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB, left behind: ${left || 'nothing'}`,
  );
  return { label, wallS, peakRssMiB: peak / 2 ** 20, summary, runDir, code, left };
}

interface ScenarioFacts {
  passed: boolean;
  /** Per download (its client by address), the transmissions dropped, when the drops come from a plan; null otherwise. */
  plannedDrops: string[] | null;
  /** Packets the kernel dropped before a router capture wrote them. */
  routerCaptureDrops: number;
}

async function facts(run: LabRunFigures): Promise<Map<string, ScenarioFacts>> {
  const byName = new Map<string, ScenarioFacts>();
  for (const s of run.summary.scenarios) {
    const dir = scenarioDir(run.runDir, s.name);
    const read = async <T>(file: string): Promise<T | null> =>
      JSON.parse(await readFile(path.join(dir, file), 'utf8').catch(() => 'null')) as T | null;
    const impairment = await read<{ drops?: PlannedDrop[]; plans?: unknown[] }>(SCENARIO_FILE.impairment);
    const drops = impairment?.drops ?? [];
    const planned = drops.length > 0 || (impairment?.plans?.length ?? 0) > 0;
    const timeline = await read<{ downloads: TimelineDownload[] }>(SCENARIO_FILE.timeline);
    const captures = (await read<Array<{ point: string; droppedByKernel: number }>>(SCENARIO_FILE.captures)) ?? [];
    byName.set(s.name, {
      passed: s.passed,
      plannedDrops: planned
        ? (timeline?.downloads ?? [])
            .map((d) => `.${d.client.ip.split('.').at(-1)}: ${dropsOf(d.events, plannedFor(drops, d)).join(' ')}`)
            .sort()
        : null,
      routerCaptureDrops: captures
        .filter((c) => c.point === CAPTURE_POINT.routerServerSide || c.point === CAPTURE_POINT.routerClientSide)
        .reduce((n, c) => n + c.droppedByKernel, 0),
    });
  }
  return byName;
}

type DropEvent = { kind: string; seq?: number; attempt?: number; dropped?: boolean };
type PlannedDrop = { flow: string; seq: number; times: number };
type TimelineDownload = { client: { ip: string }; captures?: { atClient?: string }; events: DropEvent[] };

/**
 * The drops the plan decided for one download: seq → how many of its first transmissions. A
 * bottleneck's queue overflowing, or a router restarting, drops more, and those depend on
 * timing, not on the seed: only the plan's must be the same in both runs.
 */
function plannedFor(drops: readonly PlannedDrop[], download: TimelineDownload): Map<number, number> {
  const client = /^client-(.+)\.pcap$/.exec(download.captures?.atClient ?? '')?.[1];
  const bySeq = new Map<number, number>();
  for (const d of drops)
    if (client === undefined || d.flow === `${client}-to-client`)
      bySeq.set(d.seq, Math.max(bySeq.get(d.seq) ?? 0, d.times));
  return bySeq;
}

/** The planned transmissions the captures show dropped: `seq#attempt`, attempt 0 being the first. */
const dropsOf = (events: DropEvent[], planned: ReadonlyMap<number, number>) =>
  events
    .filter((e) => (e.kind === 'send' || e.kind === 'resend') && e.dropped && (planned.get(e.seq!) ?? 0) > e.attempt!)
    .map((e) => [e.seq!, e.attempt!] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([seq, attempt]) => `${seq}#${attempt}`);

console.log(
  `machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${cpus()[0]?.model ?? ''}; seed ${values.seed}`,
);
const sequential = await lab('--jobs 1', ['--jobs', '1']);
const parallel = await lab(
  values.jobs ? `--jobs ${values.jobs}` : 'default --jobs',
  values.jobs ? ['--jobs', values.jobs] : [],
);
const jobs = Object.values(parallel.summary.plan?.jobs ?? {}).join('+');
const [a, b] = [await facts(sequential), await facts(parallel)];
const problems: string[] = [];
for (const [name, fa] of a) {
  const fb = b.get(name);
  if (!fb) problems.push(`${name}: missing from the parallel run`);
  else {
    if (fa.passed !== fb.passed) problems.push(`${name}: verdict ${fa.passed} vs ${fb.passed}`);
    if (JSON.stringify(fa.plannedDrops) !== JSON.stringify(fb.plannedDrops))
      problems.push(`${name}: the planned drops differ`);
  }
  for (const [label, f] of [
    ['--jobs 1', fa],
    ['parallel', fb],
  ] as const)
    if (f && f.routerCaptureDrops > 0)
      problems.push(`${name} (${label}): router captures lost ${f.routerCaptureDrops} packets`);
}
for (const run of [sequential, parallel]) if (run.left) problems.push(`${run.label} left ${run.left} behind`);
const ratio = parallel.wallS / sequential.wallS;
console.log('');
console.log(
  `scenarios: ${sequential.summary.scenarios.length}; with drops from a plan: ${[...a]
    .filter(([, f]) => f.plannedDrops)
    .map(([n]) => n)
    .join(', ')}`,
);
console.log(
  `--jobs 1        ${sequential.wallS.toFixed(1)} s   peak RSS ${sequential.peakRssMiB.toFixed(0)} MiB   passed ${sequential.summary.passed}`,
);
console.log(
  `--jobs ${jobs.padEnd(9)}${parallel.wallS.toFixed(1)} s   peak RSS ${parallel.peakRssMiB.toFixed(0)} MiB   passed ${parallel.summary.passed}   ${(ratio * 100).toFixed(0)} % of --jobs 1`,
);
if (!values['skip-repeat']) {
  const repeated = await lab(`default --jobs, --repeat ${values.repeat}`, ['--repeat', values.repeat]);
  if (repeated.left) problems.push(`${repeated.label} left ${repeated.left} behind`);
  const rf = await facts(repeated);
  for (const [name, f] of rf)
    if (f.routerCaptureDrops > 0)
      problems.push(`${name} (repeat): router captures lost ${f.routerCaptureDrops} packets`);
  console.log(
    `--repeat ${values.repeat}      ${repeated.wallS.toFixed(1)} s   peak RSS ${repeated.peakRssMiB.toFixed(0)} MiB   ${repeated.summary.scenarios.length} scenario runs, ${repeated.summary.scenarios.filter((s) => !s.passed).length} failed`,
  );
}
console.log(
  problems.length === 0 ? 'same verdicts, same planned drops, no router capture lost a packet' : problems.join('\n'),
);
if (!values.keep) await rm(out, { recursive: true, force: true });
else console.log(`run folders kept in ${out}`);
process.exitCode = problems.length === 0 && ratio <= 0.6 ? 0 : 1;
