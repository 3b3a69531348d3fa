import { randomUUID } from 'node:crypto';
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { demux } from './demux.ts';
import { execIn, exitCodeOf } from './exec.ts';
import { LineLog } from './line-log.ts';

export interface SpawnOptions {
  stdin?: boolean;
  env?: string[];
  workingDir?: string;
}

/**
 * A program running in a container through a hijacked exec: stdin is the
 * attached socket's write side, so closing it (a half-close) gives the
 * program EOF. Docker has no API to signal an exec, so the program is started
 * through a shell that records its pid first and then execs it.
 */
export class SpawnedProcess {
  readonly stdout: LineLog;
  readonly stderr: LineLog;
  readonly exitCode: Promise<number>;

  private constructor(
    private readonly container: Docker.Container,
    private readonly stream: Duplex,
    private readonly pidFile: string,
    readonly command: readonly string[],
    exec: Docker.Exec,
    label: string,
  ) {
    this.stdout = new LineLog(`${label} stdout`);
    this.stderr = new LineLog(`${label} stderr`);
    const out = new PassThrough().on('data', (b: Buffer) => this.stdout.push(b));
    const err = new PassThrough().on('data', (b: Buffer) => this.stderr.push(b));
    demux(container, stream, out, err);
    this.exitCode = new Promise<void>((resolve) => {
      stream
        .once('end', resolve)
        .once('close', resolve)
        .once('error', () => resolve());
    }).then(async () => {
      this.stdout.end();
      this.stderr.end();
      return exitCodeOf(exec);
    });
  }

  static async start(
    container: Docker.Container,
    label: string,
    cmd: readonly string[],
    options: SpawnOptions = {},
  ): Promise<SpawnedProcess> {
    const pidFile = `/tmp/.lab-spawn-${randomUUID()}.pid`;
    const exec = await container.exec({
      Cmd: ['sh', '-c', `echo $$ > ${pidFile}; exec "$@"`, 'lab-spawn', ...cmd],
      AttachStdin: options.stdin ?? false,
      AttachStdout: true,
      AttachStderr: true,
      Env: options.env,
      WorkingDir: options.workingDir,
    });
    const stream = await exec.start({ hijack: true, stdin: options.stdin ?? false });
    return new SpawnedProcess(container, stream, pidFile, cmd, exec, label);
  }

  writeLine(line: string): void {
    this.stream.write(`${line}\n`);
  }

  /** Half-closes the attached socket; the daemon turns that into EOF on the program's stdin. */
  closeStdin(): void {
    this.stream.end();
  }

  waitForLine(pattern: RegExp, timeoutMs = 10_000, opts?: { fromStart?: boolean }): Promise<string> {
    return this.stdout.waitFor(pattern, timeoutMs, opts);
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    // The pid file may not exist yet if kill races the start; retry briefly.
    for (let i = 0; i < 50; i++) {
      const r = await execIn(this.container, [
        'sh',
        '-c',
        `test -s ${this.pidFile} && kill -s ${signal.replace(/^SIG/, '')} "$(cat ${this.pidFile})"`,
      ]);
      if (r.exitCode === 0) return;
      if (/No such process/i.test(r.stderr)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
