import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One network namespace of this process: commands run in it, and it goes with the process. */
export class NetNamespace {
  private constructor(readonly name: string) {}

  static async create(name: string): Promise<NetNamespace> {
    await run('ip', ['netns', 'add', name]);
    live.add(name);
    const ns = new NetNamespace(name);
    await ns.exec('ip', ['link', 'set', 'lo', 'up']);
    return ns;
  }

  async exec(command: string, args: string[]): Promise<string> {
    const { stdout } = await run('ip', ['netns', 'exec', this.name, command, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }

  /** `ip netns exec` replaces itself with the command, so the child's pid is the program's own. */
  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.name, command, ...args], { stdio: 'pipe', ...options });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  }

  async remove(): Promise<void> {
    live.delete(this.name);
    await run('ip', ['netns', 'del', this.name]).catch(() => undefined);
  }
}

const live = new Set<string>();
const children = new Set<ChildProcess>();

/** Kills every program started in a namespace and deletes every namespace: for Ctrl-C and crashes. */
export function removeEverythingNow(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const name of live) {
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

/** Namespaces left by earlier runs that died without cleaning up (their pid is in the name). */
export function staleNamespaces(prefix: string): string[] {
  let listing: string;
  try {
    listing = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  } catch {
    return [];
  }
  return listing
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((name) => {
      const m = new RegExp(`^${prefix}-(\\d+)-`).exec(name);
      if (!m) return false;
      try {
        process.kill(Number(m[1]), 0);
        return false;
      } catch {
        return true;
      }
    });
}
