import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import type Docker from 'dockerode';
import { demux } from '../demux.ts';
import { LineLog } from '../line-log.ts';
import { encodeMessage, parseAgentEvent, type AgentRequest } from './agent-messages.ts';
import { AgentProcess, type ProcessOutput } from './agent-process.ts';

export interface StartOptions {
  stdin?: boolean;
  env?: readonly string[];
  workingDir?: string;
}

/** The exit code of a program whose host died under it, as if killed with the host (SIGKILL). */
const HOST_GONE_EXIT = 137;

/**
 * The lab's end of a host's agent: one attached stream to the container (stdin in, stdout and
 * stderr out) that every program of the host shares. Attach before the container starts, so
 * that nothing it prints is missed.
 */
export class AgentLink {
  private nextId = 1;
  private readonly running = new Map<number, AgentProcess>();
  private lost = false;
  /** What the host printed that was not the agent's: its set-up lines, or why the agent failed. */
  readonly log: LineLog;

  private constructor(
    private readonly stream: NodeJS.ReadWriteStream,
    container: Docker.Container,
    label: string,
  ) {
    this.log = new LineLog(label);
    const stdout = new PassThrough();
    const stderr = new PassThrough().on('data', (b: Buffer) => this.log.push(b));
    demux(container, stream, stdout, stderr);
    createInterface({ input: stdout, crlfDelay: Infinity })
      .on('line', (line) => this.onLine(line))
      .once('close', () => this.hostGone());
    // The last events are read before the programs still running are given up for dead.
    const ended = () => {
      if (!stdout.writableEnded) stdout.end();
    };
    stream.once('end', ended).once('close', ended).on('error', ended);
  }

  static async attach(container: Docker.Container, label: string): Promise<AgentLink> {
    const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
    return new AgentLink(stream, container, label);
  }

  /** True once the host's stream ended: the host stopped, or the lab let go of it. */
  get gone(): boolean {
    return this.lost;
  }

  start(cmd: readonly string[], output: ProcessOutput, options: StartOptions = {}): AgentProcess {
    const id = this.nextId++;
    const proc = new AgentProcess((request) => this.send(request), id, output);
    if (this.lost) {
      proc.exited(HOST_GONE_EXIT);
      return proc;
    }
    this.running.set(id, proc);
    this.send({ op: 'start', id, cmd, env: options.env, cwd: options.workingDir, stdin: options.stdin ?? false });
    return proc;
  }

  private send(request: AgentRequest): void {
    if (!this.lost) this.stream.write(encodeMessage(request));
  }

  private onLine(line: string): void {
    const event = parseAgentEvent(line);
    if (!event) {
      this.log.push(`${line}\n`);
      return;
    }
    const proc = this.running.get(event.id);
    if (!proc) return;
    if (event.ev === 'exit') {
      this.running.delete(event.id);
      proc.exited(event.code);
    } else proc.output[event.ev](Buffer.from(event.data, 'base64'));
  }

  private hostGone(): void {
    if (this.lost) return;
    this.lost = true;
    this.log.end();
    for (const proc of this.running.values()) proc.exited(HOST_GONE_EXIT);
    this.running.clear();
  }
}
