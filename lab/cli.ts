import { randomInt } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parsePausePercent } from '../services/protocol/defaults.ts';
import { currentAppImage } from './engine/app-image.ts';
import { LAB_IMAGE } from './engine/labels.ts';
import { labEngines } from './engine/lab-engine.ts';
import { pruneAppImages } from './engine/prune-app-images.ts';
import { LabError } from './errors/lab-error.ts';
import { mergeRuns } from './run/merge-runs.ts';
import { runLab } from './run/run-lab.ts';
import { selectRuns } from './run/select-runs.ts';
import { parseShard, shardOf, type Shard } from './run/shard.ts';
import type { Scenario } from './scenario/scenario.ts';
import { cleanupLeftovers } from './topology/leftovers.ts';

const program = new Command('lab')
  .description(
    'Runs the scenarios on containers (server, router, clients on their own IPs), captures pcaps and checks them.',
  )
  .argument(
    '[scenarios...]',
    'names of the scenarios to run (default: all); <name>.r<k> runs only repeat k of it, with the seed it had',
  )
  .option('--list', 'list the scenarios and exit')
  .option('--seed <n>', 'seed for random loss (default: random; printed, so a run can be replayed)', seedOf)
  .option('--jobs <n>', 'scenarios at once on each engine (default: what its cores and memory carry)', countOf)
  .option('--repeat <k>', 'run each scenario k times, each with its own seed derived from the run seed', countOf, 1)
  .option(
    '--shard <i/n>',
    'run only part i of n of the scenario runs (a CI matrix of n runners covers them once)',
    shardOf_,
  )
  .addOption(
    new Option(
      '--engine <url>',
      'a Docker engine to run scenarios on (unix://, tcp://, ssh://); repeat it to spread scenarios over several',
    ).argParser((v: string, prev?: string[]) => [...(prev ?? []), v]),
  )
  .option(
    '--merge <dirs...>',
    'join the run folders of shards into one summary.json, junit.xml and report.html, then exit',
  )
  .option('--keep', 'leave containers and networks up afterwards and print how to reach them')
  .option('--out <dir>', 'where run folders are written', 'lab-results')
  .option(
    '--server-pause <percent>',
    'start the server with this --pause instead of the one the scenarios expect, to watch the checks catch a misbehaving server',
    percentOf,
  )
  .option(
    '--cleanup',
    'remove the containers and networks of earlier runs that are no longer running (kept ones too), then exit',
  )
  .addHelpText(
    'after',
    '\nEnvironment: DOCKER_HOST or the Docker context pick the engine, as for the docker CLI; LAB_ENGINES="url1 url2" is a list of engines, like --engine given once for each.',
  )
  .showHelpAfterError();

function percentOf(value: string): number {
  const pause = parsePausePercent(value);
  if (!pause.ok) throw new InvalidArgumentError(pause.reason);
  return pause.percent;
}

function seedOf(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('expected a whole number below 1000000000');
  return Number(value);
}

function countOf(value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value)) throw new InvalidArgumentError('expected a whole number from 1 to 9999');
  return Number(value);
}

function shardOf_(value: string): Shard {
  try {
    return parseShard(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

interface LabOptions {
  list?: boolean;
  seed?: number;
  jobs?: number;
  repeat: number;
  shard?: Shard;
  engine?: string[];
  merge?: string[];
  keep?: boolean;
  out: string;
  cleanup?: boolean;
  serverPause?: number;
}

/**
 * `npm run lab`. The scenarios come from the entry point (scenarios/main.ts): the lab is the
 * vocabulary they are written in and never imports them.
 */
export async function labCli(scenarios: readonly Scenario[], argv: readonly string[] = process.argv): Promise<void> {
  const names = program.parse(argv).args;
  const opts = program.opts<LabOptions>();
  try {
    await labCommand(scenarios, names, opts);
  } catch (err) {
    if (!(err instanceof LabError)) throw err;
    console.error(`lab: ${err.message} [${err.code}]`);
    process.exitCode = 2;
  }
}

async function labCommand(scenarios: readonly Scenario[], names: string[], opts: LabOptions): Promise<void> {
  const engineUrls = opts.engine ?? (process.env.LAB_ENGINES ?? '').split(/[\s,]+/).filter(Boolean);
  const engines = labEngines(engineUrls);

  if (opts.cleanup) {
    for (const engine of engines) {
      const removed = await cleanupLeftovers(undefined, engine.docker);
      const images = await pruneAppImages(engine.docker, await currentAppImage(engine.docker, LAB_IMAGE), {
        unnamedToo: true,
      });
      console.log(
        `${engine.url}: removed ${removed.containers.length} containers and ${removed.networks.length} networks of earlier runs, and ${images.length} old app images`,
      );
    }
    process.exit(0);
  }

  if (opts.list) {
    const width = Math.max(...scenarios.map((s) => s.name.length));
    for (const s of scenarios) console.log(`${s.name.padEnd(width)}  ${s.title}`);
    process.exit(0);
  }

  if (opts.merge) {
    const merged = await mergeRuns(opts.merge, opts.out);
    const { summary } = merged;
    const failed = summary.scenarios.filter((s) => !s.passed);
    console.log(
      `merged ${summary.scenarios.length} scenario runs (${failed.length} failed) into ${merged.runDir}\nreport: ${merged.report}`,
    );
    process.exit(summary.passed ? 0 : 1);
  }

  if (opts.shard && opts.seed === undefined)
    program.error('--shard needs --seed: every shard of a run must draw its losses from the same seed');
  const seed = opts.seed ?? randomInt(1, 1_000_000_000);
  const all = selectRuns(scenarios, names, { seed, repeat: opts.repeat });
  const runs = opts.shard ? shardOf(all, opts.shard) : all;
  const run = await runLab({
    runs,
    planned: all.map((r) => r.name),
    seed,
    repeat: opts.repeat,
    shard: opts.shard,
    engines,
    jobs: opts.jobs,
    outDir: opts.out,
    keep: opts.keep,
    serverOverrides: opts.serverPause === undefined ? undefined : { pause: opts.serverPause },
  });
  process.exitCode = run.summary.passed ? 0 : 1;
}
