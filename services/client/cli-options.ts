import { Command, InvalidArgumentError, Option } from 'commander';
import net from 'node:net';
import { CHUNK_SIZE, MAX_BLOCK_SIZE, MIN_BLOCK_SIZE } from '../protocol/datagram.ts';
import { DEFAULT_PAUSE_PERCENT, parsePausePercent } from '../protocol/defaults.ts';
import type { BlockSizeChoice } from './block-size-offer.ts';
import { parsePort } from './address-prompts.ts';
import type { SessionOptions } from './client-session.ts';
import { MIN_REORDER_MS } from './loss-detector.ts';
import { RECOVERY_MODES, type RecoveryMode } from './recovery.ts';

/** The command line: each address flag answers its prompt the first time only. */
export function parseCliOptions(argv: readonly string[]): SessionOptions {
  const program = new Command()
    .name('client')
    .description('Chat and download client: commands and messages on stdin, one line each.')
    .option('--bind <ip>', 'local IP address to connect from (answers "Your IP address")', ip)
    .option('--server <ip>', 'server IP address (answers "Server IP address")')
    .option('--port <n>', 'server TCP port (answers "Server port")', port)
    .option('--name <name>', 'answers the name prompt of the first connect')
    .option('--downloads <dir>', 'folder for downloaded files', '.');
  const o = withDownloadOptions(program)
    .parse([...argv], { from: 'node' })
    .opts<CliValues>();
  return {
    address: { bind: o.bind, server: o.server, port: o.port },
    name: o.name,
    downloadsDir: o.downloads,
    pausePercent: o.pause,
    recovery: { mode: o.recovery, reorderWindowMs: o.reorderWindow, lossTimers: o.lossTimers },
    verify: o.verify,
    nudge: o.nudge,
    blockSize: o.blockSize,
  };
}

interface CliValues {
  bind?: string;
  server?: string;
  port?: number;
  name?: string;
  downloads: string;
  pause: number;
  recovery: RecoveryMode;
  reorderWindow: number;
  lossTimers: boolean;
  verify: boolean;
  nudge: boolean;
  blockSize: BlockSizeChoice;
}

/** How downloads run: the pause, the recovery and its knobs, and the checks. */
function withDownloadOptions(program: Command): Command {
  return program
    .option(
      '--pause <percent>',
      "where downloads pause; must match the server's --pause",
      percent,
      DEFAULT_PAUSE_PERCENT,
    )
    .addOption(
      new Option(
        '--recovery <mode>',
        "adaptive: ask for a loss as soon as it is evident and report progress so the server finds the path's rate; seed: the original 100 ms timeout rounds",
      )
        .choices(RECOVERY_MODES)
        .default('adaptive'),
    )
    .option(
      '--reorder-window <ms>',
      'adaptive recovery: how long a missing datagram may be late (overtaken by later ones) before it is asked for again',
      milliseconds,
      MIN_REORDER_MS,
    )
    .option(
      '--no-loss-timers',
      'adaptive recovery without timeouts: ask only for losses that later datagrams reveal, never because time passed (a lost tail, a lost resend or a partition then stalls the download: for demonstrations)',
    )
    .option(
      '--no-nudge',
      "never ask get_users to get an overdue answer delivered: a lost answer then waits for TCP's own resend, 200 ms or more (off anyway with --recovery seed)",
    )
    .option(
      '--block-size <bytes>',
      `bytes of the file per datagram to ask the server for: auto fits a datagram to the link's frame (8967 on a 9000-byte MTU) and keeps the seed's ${CHUNK_SIZE} on 1500-byte links, on loopback and with --recovery seed`,
      blockSize,
      'auto' as BlockSizeChoice,
    )
    .option(
      '--no-verify',
      "save downloads without checking them against the server's checksum (what a client that predates it does)",
    );
}

function ip(value: string): string {
  if (value !== '' && !net.isIP(value)) throw new InvalidArgumentError('not an IP address');
  return value;
}

function port(value: string): number {
  const n = parsePort(value);
  if (n === null) throw new InvalidArgumentError('not a port from 1 to 65535');
  return n;
}

function percent(value: string): number {
  const pause = parsePausePercent(value);
  if (!pause.ok) throw new InvalidArgumentError(pause.reason);
  return pause.percent;
}

function blockSize(value: string): BlockSizeChoice {
  if (value === 'auto') return value;
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n < MIN_BLOCK_SIZE || n > MAX_BLOCK_SIZE)
    throw new InvalidArgumentError(
      `expected auto or a whole number of bytes from ${MIN_BLOCK_SIZE} to ${MAX_BLOCK_SIZE}`,
    );
  return n;
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (!/^\d{1,4}$/.test(value)) throw new InvalidArgumentError('expected whole milliseconds from 0 to 9999');
  return n;
}
