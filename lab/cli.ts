import { randomInt } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { scenarios } from '../scenarios/index.ts';
import { runLab } from './run/run-lab.ts';
import { cleanupLeftovers } from './topology/leftovers.ts';

const program = new Command('lab')
  .description(
    'Runs the scenarios on containers (server, router, clients on their own IPs), captures pcaps and checks them.',
  )
  .argument('[scenarios...]', 'names of the scenarios to run (default: all)')
  .option('--list', 'list the scenarios and exit')
  .option('--seed <n>', 'seed for random loss (default: random; printed, so a run can be replayed)', seedOf)
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
  .showHelpAfterError();

function percentOf(value: string): number {
  const n = Number(value);
  if (!/^\d{1,3}$/.test(value) || n < 1 || n > 100)
    throw new InvalidArgumentError('expected a whole number from 1 to 100');
  return n;
}

function seedOf(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('expected a whole number below 1000000000');
  return Number(value);
}

const names = program.parse().args;
const opts = program.opts<{
  list?: boolean;
  seed?: number;
  keep?: boolean;
  out: string;
  cleanup?: boolean;
  serverPause?: number;
}>();

if (opts.cleanup) {
  const removed = await cleanupLeftovers();
  console.log(
    `removed ${removed.containers.length} containers and ${removed.networks.length} networks of earlier runs`,
  );
  process.exit(0);
}

if (opts.list) {
  const width = Math.max(...scenarios.map((s) => s.name.length));
  for (const s of scenarios) console.log(`${s.name.padEnd(width)}  ${s.title}`);
  process.exit(0);
}

const unknown = names.filter((n) => !scenarios.some((s) => s.name === n));
if (unknown.length > 0) program.error(`unknown scenario: ${unknown.join(', ')} (see --list)`);
const chosen = names.length > 0 ? scenarios.filter((s) => names.includes(s.name)) : scenarios;

const run = await runLab({
  scenarios: chosen,
  seed: opts.seed ?? randomInt(1, 1_000_000_000),
  outDir: opts.out,
  keep: opts.keep,
  serverOverrides: opts.serverPause === undefined ? undefined : { pause: opts.serverPause },
});
process.exitCode = run.summary.passed ? 0 : 1;
