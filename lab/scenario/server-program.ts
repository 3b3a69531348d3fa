import { DEFAULT_PORTS, DEFAULT_PORT_RANGE } from '../../services/protocol/defaults.ts';
import { programCommand } from '../engine/app-bundle.ts';
import { ExecTimeoutError } from '../host/exec.ts';
import type { LabHost } from '../host/lab-host.ts';
import type { SpawnedProcess } from '../host/spawned-process.ts';
import { ServerNotReadyError } from './scenario-errors.ts';

// Asks the server on loopback, inside its own container, so the probe never shows in a capture between hosts.
const PROBE = `const s=require('net').connect(${DEFAULT_PORTS.first},'127.0.0.1');let b='';s.on('data',d=>{b+=d;if(b.includes('\\n')){process.exit(b.startsWith('users')?0:1)}});s.on('connect',()=>s.write('get_users\\n'));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),1000)`;

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
   * Ready means it answers `get_users`, not that some time has passed; and it is asked only once
   * its log says every port listens. Asked earlier, the probe's connect() to 127.0.0.1:55000 may
   * be given 55000 itself as its local port (the server's ports lie in Linux's ephemeral range):
   * TCP then connects the socket to itself, and the server's listen() fails with EADDRINUSE. The
   * slower the start (several scenarios on two cores), the more probes, the likelier that was.
   */
  private async ready(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const listening = await this.process.stderr.waitFor(/\blistening\b/, timeoutMs, { fromStart: true }).then(
      () => true,
      () => false,
    );
    if (!listening) throw new ServerNotReadyError(timeoutMs, this.process.stderr.text());
    while (Date.now() < deadline) {
      // A probe is a Node start-up: on a machine busy with other scenarios it can take seconds,
      // and a slow probe is no reason to give up before the deadline.
      const probe = await this.host
        .exec(['node', '-e', PROBE], { timeoutMs: Math.max(1000, deadline - Date.now()) })
        .catch((error: unknown) => {
          if (error instanceof ExecTimeoutError) return null;
          throw error;
        });
      if (probe?.exitCode === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new ServerNotReadyError(timeoutMs, this.process.stderr.text());
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
