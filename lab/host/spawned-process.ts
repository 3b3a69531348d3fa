import { LineLog } from './line-log.ts';
import type { AgentLink, StartOptions } from './agent/agent-link.ts';
import type { AgentProcess } from './agent/agent-process.ts';

export type SpawnOptions = StartOptions;

/** A program running in a lab host, started by the host's agent: its lines, its stdin, its signals and its exit. */
export class SpawnedProcess {
  readonly stdout: LineLog;
  readonly stderr: LineLog;
  readonly exitCode: Promise<number>;
  private readonly proc: AgentProcess;

  private constructor(
    link: AgentLink,
    label: string,
    readonly command: readonly string[],
    options: SpawnOptions,
  ) {
    this.stdout = new LineLog(`${label} stdout`);
    this.stderr = new LineLog(`${label} stderr`);
    const output = { stdout: (b: Buffer) => this.stdout.push(b), stderr: (b: Buffer) => this.stderr.push(b) };
    this.proc = link.start(command, output, options);
    this.exitCode = this.proc.exitCode.then((code) => {
      this.stdout.end();
      this.stderr.end();
      return code;
    });
  }

  static start(link: AgentLink, label: string, cmd: readonly string[], options: SpawnOptions = {}): SpawnedProcess {
    return new SpawnedProcess(link, label, cmd, options);
  }

  writeLine(line: string): void {
    this.proc.write(`${line}\n`);
  }

  /** EOF on the program's stdin. */
  closeStdin(): void {
    this.proc.end();
  }

  waitForLine(pattern: RegExp, timeoutMs = 10_000, opts?: { fromStart?: boolean }): Promise<string> {
    return this.stdout.waitFor(pattern, timeoutMs, opts);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.proc.kill(signal);
    return Promise.resolve();
  }
}
