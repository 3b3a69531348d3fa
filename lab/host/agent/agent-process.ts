import type { AgentRequest } from './agent-messages.ts';

export interface ProcessOutput {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/** One program a host's agent runs for the lab: its input, its signals, and its exit code once it ended. */
export class AgentProcess {
  readonly exitCode: Promise<number>;
  private settle!: (code: number) => void;
  private ended = false;

  constructor(
    private readonly send: (request: AgentRequest) => void,
    readonly id: number,
    readonly output: ProcessOutput,
  ) {
    this.exitCode = new Promise((resolve) => (this.settle = resolve));
  }

  write(data: string | Buffer): void {
    if (!this.ended) this.send({ op: 'write', id: this.id, data: Buffer.from(data).toString('base64') });
  }

  /** EOF on the program's stdin. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.send({ op: 'end', id: this.id });
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.send({ op: 'kill', id: this.id, signal });
  }

  /** Called by the link: the program ended with `code` (or its host did). */
  exited(code: number): void {
    this.ended = true;
    this.settle(code);
  }
}
