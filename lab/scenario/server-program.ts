import { DEFAULT_PORT_RANGE } from '../../services/protocol/defaults.ts';
import { programCommand } from '../engine/app-bundle.ts';
import type { LabHost } from '../host/lab-host.ts';
import type { SpawnedProcess } from '../host/spawned-process.ts';
import { ServerNotReadyError } from './scenario-errors.ts';

/** The real server program, running in the server container. */
export class ServerProgram {
  private killed = false;

  private constructor(
    readonly host: LabHost,
    readonly process: SpawnedProcess,
  ) {}

  static async start(
    host: LabHost,
    opts: { pause: number; rate?: number; fixedRate?: boolean; maxPerAddress?: number; idleBeforeConnect?: number },
  ): Promise<ServerProgram> {
    const args = [
      '--host',
      '0.0.0.0',
      '--ports',
      DEFAULT_PORT_RANGE,
      '--files',
      '/files',
      '--pause',
      String(opts.pause),
    ];
    if (opts.rate !== undefined) args.push('--rate', String(opts.rate));
    if (opts.fixedRate) args.push('--fixed-rate');
    if (opts.maxPerAddress !== undefined) args.push('--max-per-address', String(opts.maxPerAddress));
    if (opts.idleBeforeConnect !== undefined) args.push('--idle-before-connect', String(opts.idleBeforeConnect));
    const proc = await host.spawn([...programCommand('server'), ...args], {
      workingDir: '/app',
    });
    const server = new ServerProgram(host, proc);
    await server.ready();
    return server;
  }

  get ip(): string {
    return this.host.ip;
  }

  /**
   * Ready once its log says every port listens: the server prints that line after the last
   * listen() succeeded, so a client connecting then is accepted. Nothing asks it anything first:
   * a probe from inside the host was one more exec and Node start-up per scenario (on two cores,
   * the engine's work per exec is what limits the lab), and one made before the server listened
   * could even be given the server's port as its own local port and take it.
   */
  private async ready(timeoutMs = 20_000): Promise<void> {
    const listening = await this.process.stderr.waitFor(/\blistening\b/, timeoutMs, { fromStart: true }).then(
      () => true,
      () => false,
    );
    if (!listening) throw new ServerNotReadyError(timeoutMs, this.process.stderr.text());
  }

  /** Kills the server's whole host, as a crash or a pulled cable would. */
  async kill(): Promise<void> {
    this.killed = true;
    await this.host.kill();
  }

  get wasKilled(): boolean {
    return this.killed;
  }

  /** Stops the program with SIGTERM and returns its exit code. */
  async stop(timeoutMs = 10_000): Promise<number> {
    if (this.killed) return -1;
    await this.process.kill('SIGTERM');
    return Promise.race([this.process.exitCode, new Promise<number>((r) => setTimeout(() => r(-1), timeoutMs))]);
  }
}
