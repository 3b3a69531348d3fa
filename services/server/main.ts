import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_PAUSE_PERCENT, DEFAULT_PORT_RANGE, parsePausePercent } from '../protocol/defaults.ts';
import { ChatServer, DEFAULT_IDLE_BEFORE_CONNECT_MS, DEFAULT_MAX_PER_ADDRESS } from './chat-server.ts';
import { DEFAULT_CEILING_MBIT, DEFAULT_FIXED_RATE_MBIT } from './rate-limits.ts';
import { stderrLogger } from './logger.ts';
import { PortRangeError } from './errors.ts';
import { parsePortRange } from './port-range.ts';

const program = new Command('server')
  .description('Chat and file-download server: TCP control on a range of ports, files over UDP.')
  .option('--host <address>', 'address to listen on', '0.0.0.0')
  .option('--ports <first-last>', 'TCP ports to listen on, all at once', DEFAULT_PORT_RANGE)
  .option('--files <dir>', 'folder whose regular files are offered for download', 'files')
  .option(
    '--pause <percent>',
    'percentage of a download after which the server waits for proceed',
    percent,
    DEFAULT_PAUSE_PERCENT,
  )
  .option(
    '--rate <mbit>',
    `Mbit/s a download never exceeds; a client that reports progress is paced to its path below it, another is sent at exactly this rate (0: no limit; default: ${DEFAULT_CEILING_MBIT} and ${DEFAULT_FIXED_RATE_MBIT} respectively)`,
    rate,
  )
  .option(
    '--fixed-rate',
    "send every download at exactly --rate, ignoring the client's progress reports (the seed's server; for demonstrations)",
  )
  .option(
    '--max-per-address <n>',
    'connections one client address may hold at once, over all ports (0: no limit)',
    count,
    DEFAULT_MAX_PER_ADDRESS,
  )
  .option(
    '--idle-before-connect <seconds>',
    'close a connection that sends no line for this long before it takes a name (0: never)',
    seconds,
    DEFAULT_IDLE_BEFORE_CONNECT_MS / 1000,
  )
  .showHelpAfterError();

function rate(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 100_000) throw new InvalidArgumentError('expected Mbit/s from 0 to 100000');
  return n;
}

function count(value: string): number {
  if (!/^\d{1,6}$/.test(value)) throw new InvalidArgumentError('expected a whole number, 0 for no limit');
  return Number(value);
}

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 86_400) throw new InvalidArgumentError('expected seconds from 0 to 86400');
  return n;
}

function percent(value: string): number {
  const pause = parsePausePercent(value);
  if (!pause.ok) throw new InvalidArgumentError(pause.reason);
  return pause.percent;
}

async function main(): Promise<void> {
  const opts = program.parse().opts<{
    host: string;
    ports: string;
    files: string;
    pause: number;
    rate?: number;
    fixedRate?: boolean;
    maxPerAddress: number;
    idleBeforeConnect: number;
  }>();
  const log = stderrLogger();
  let ports: number[];
  try {
    ports = parsePortRange(opts.ports);
  } catch (error) {
    if (error instanceof PortRangeError) program.error(error.message);
    throw error;
  }
  const server = new ChatServer({
    host: opts.host,
    ports,
    filesDir: opts.files,
    pausePercent: opts.pause,
    rateMbit: opts.rate,
    fixedRate: opts.fixedRate ?? false,
    maxPerAddress: opts.maxPerAddress,
    idleBeforeConnectMs: opts.idleBeforeConnect * 1000,
    log,
  });
  try {
    await server.start();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    console.error(
      `server: can't start: ${e.code === 'ENOENT' ? `files folder ${opts.files} does not exist` : e.message}`,
    );
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    log.event('-', 'shutdown', signal);
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

await main();
