import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors/lab-error.ts';
import type { AttackerHost } from '../host/attacker-host.ts';
import type { SpawnedProcess } from '../host/spawned-process.ts';
import type { AgentCommand, AgentEvent } from './agent.ts';

const AGENT_SOURCE = fileURLToPath(new URL('./agent.ts', import.meta.url));
const AGENT_DIR = '/attack';

/** The agent program running in the attacker host, and the events it reported. */
export class AttackAgent {
  private readonly seen: AgentEvent[] = [];
  private read = 0;

  private constructor(readonly process: SpawnedProcess) {}

  static async start(host: AttackerHost): Promise<AttackAgent> {
    await host.execOk(['mkdir', '-p', AGENT_DIR]);
    await host.putFiles(AGENT_DIR, [{ name: 'agent.ts', content: await readFile(AGENT_SOURCE) }]);
    // tsx comes with the app image's node_modules; the agent itself imports nothing of the project.
    const proc = await host.spawn(['node', '--import', 'tsx', `${AGENT_DIR}/agent.ts`], {
      stdin: true,
      workingDir: '/app',
    });
    return new AttackAgent(proc);
  }

  send(command: AgentCommand): void {
    this.process.writeLine(JSON.stringify(command));
  }

  /** The first event (from the start) that `match` accepts, waiting up to `timeoutMs` for it. */
  async waitFor<T extends AgentEvent>(match: (e: AgentEvent) => e is T, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events().find(match);
      if (found) return found;
      const failed = this.seen.find((e) => e.event === 'error');
      if (failed && failed.event === 'error')
        throw new AttackError(`${what}: the attacker's agent reported: ${failed.message}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new AttackError(
          `${what}: not within ${timeoutMs} ms; the attacker's agent reported ${JSON.stringify(this.seen.slice(-5))}${this.tail()}`,
        );
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, 20)));
    }
  }

  /** Ends the agent (end of its input): it stops its tcpdumps and closes what it holds. */
  async stop(timeoutMs = 5000): Promise<number> {
    this.process.closeStdin();
    return Promise.race([this.process.exitCode, new Promise<number>((r) => setTimeout(() => r(-1), timeoutMs))]);
  }

  /** Every event the agent reported so far, in order. */
  events(): readonly AgentEvent[] {
    const lines = this.process.stdout.lines;
    for (; this.read < lines.length; this.read++) {
      try {
        this.seen.push(JSON.parse(lines[this.read]) as AgentEvent);
      } catch {
        // Not an event: the agent's output file keeps it for the reader.
      }
    }
    return this.seen;
  }

  private tail(): string {
    const err = this.process.stderr.lines.slice(-5);
    return err.length ? `; its stderr: ${err.join(' | ')}` : '';
  }
}

export class AttackError extends LabError {
  constructor(message: string) {
    super('LAB_ERR_ATTACK', message);
  }
}
