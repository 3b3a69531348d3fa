import { execFileSync, type ExecFileSyncOptionsWithStringEncoding } from 'node:child_process';
import { TOPOLOGY_LABEL } from '../engine/labels.ts';
import { LabError } from '../errors/lab-error.ts';

type Cleanup = () => Promise<void>;

interface Live {
  cleanup: Cleanup;
  /** How the docker CLI reaches the topology's engine, for the last-resort removal at exit. */
  cliEnv: NodeJS.ProcessEnv;
}

const live = new Map<string, Live>();
/** Topologies being brought up: a signal waits for them to stop at their next step before removing. */
const starting = new Set<Promise<unknown>>();
let stopping = false;

export class InterruptedError extends LabError {
  constructor(what: string) {
    super('LAB_ERR_INTERRUPTED', `${what}: the run was interrupted`);
  }
}

/**
 * Process-wide list of topologies that still have containers up. While any
 * is registered, SIGINT/SIGTERM remove them all and then exit 130; on any
 * other exit (an uncaught error, process.exit) a synchronous `docker rm -f`
 * by label is the last resort, since async work cannot run in an 'exit'
 * handler. With nothing registered the handlers are gone, so signals keep
 * their default meaning (a test runner stopping its workers, say).
 */
export function registerTopology(id: string, cleanup: Cleanup, cliEnv: NodeJS.ProcessEnv = process.env): void {
  // A scenario starting while a signal tears the others down would outlive the process.
  if (stopping) throw new InterruptedError(`not starting ${id}`);
  if (live.size === 0) install();
  live.set(id, { cleanup, cliEnv });
}

export function unregisterTopology(id: string): void {
  live.delete(id);
  if (live.size === 0 && !stopping) uninstall();
}

/**
 * Runs a topology's start-up so that a signal can wait for it: docker calls already sent finish on
 * the engine whatever happens here, so what they made is only found once they have answered.
 */
export function trackStart<T>(start: Promise<T>): Promise<T> {
  starting.add(start);
  void start.catch(() => undefined).finally(() => starting.delete(start));
  return start;
}

/** Throws when a signal came: a topology being started stops at its next step and removes what it made. */
export function throwIfInterrupted(what: string): void {
  if (stopping) throw new InterruptedError(what);
}

export function liveTopologyIds(): string[] {
  return [...live.keys()];
}

export async function cleanupAllTopologies(): Promise<void> {
  const all = [...live.values()];
  live.clear();
  await Promise.allSettled(all.map(({ cleanup }) => cleanup()));
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`\nlab: ${signal}: removing the containers and networks of ${live.size} topology(ies)\n`);
  const settled = Promise.allSettled([...starting]);
  const atMost = new Promise((r) => setTimeout(r, 60_000).unref());
  void Promise.race([settled, atMost])
    .then(() => cleanupAllTopologies())
    .finally(() => process.exit(130));
}

function onExit(): void {
  for (const [id, { cliEnv }] of live) removeTopologySync(id, cliEnv);
}

function install(): void {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
}

function uninstall(): void {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('exit', onExit);
}

function removeTopologySync(id: string, env: NodeJS.ProcessEnv): void {
  const filter = `label=${TOPOLOGY_LABEL}=${id}`;
  const quiet: ExecFileSyncOptionsWithStringEncoding = {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
    encoding: 'utf8',
    timeout: 30_000,
  };
  try {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', filter], quiet).split('\n').filter(Boolean);
    if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], quiet);
    const nets = execFileSync('docker', ['network', 'ls', '-q', '--filter', filter], quiet).split('\n').filter(Boolean);
    if (nets.length) execFileSync('docker', ['network', 'rm', ...nets], quiet);
  } catch {
    // Best effort at exit; cleanupLeftovers() finds whatever is left.
  }
}
