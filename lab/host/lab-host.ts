import type Docker from 'dockerode';
import { copyOut, type FileToPut } from './archive.ts';
import type { AgentLink } from './agent/agent-link.ts';
import { runOnAgent, runOnAgentOk } from './agent/agent-exec.ts';
import { copyOutViaAgent, putFilesViaAgent } from './agent/agent-files.ts';
import type { ExecOptions, ExecResult } from './exec.ts';
import { SpawnedProcess, type SpawnOptions } from './spawned-process.ts';

export type HostRole = 'server' | 'client' | 'router' | 'attacker';

/** One container of a topology, seen the way a scenario uses it. */
export class LabHost {
  private readonly spawned = new Set<SpawnedProcess>();

  constructor(
    /** Short name inside the run: `server`, `router`, or a client's name. */
    readonly name: string,
    readonly role: HostRole,
    /** The Docker container name (unique to the run): use with `docker exec -it`. */
    readonly containerName: string,
    /** The address other hosts reach it at (the router: its server-side one). */
    readonly ip: string,
    readonly container: Docker.Container,
    /** The host's agent, which runs every command of the lab in it (agent/host-agent.ts). */
    private readonly agent: AgentLink,
  ) {}

  /** Runs cmd to completion in this host; a non-zero exit is data, not an error. */
  exec(cmd: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return runOnAgent(this.agent, this.containerName, cmd, options);
  }

  /** exec that throws when the command exits non-zero. */
  execOk(cmd: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return runOnAgentOk(this.agent, this.containerName, cmd, options);
  }

  /** Puts files into a folder of this host (the folder must exist). */
  putFiles(dir: string, files: readonly FileToPut[]): Promise<void> {
    return putFilesViaAgent(this.agent, dir, files);
  }

  /** Copies a file or folder of this host into `hostDir` on this machine; works after the host died too, through the engine. */
  async copyOut(containerPath: string, hostDir: string): Promise<string[]> {
    return (
      (await copyOutViaAgent(this.agent, containerPath, hostDir)) ?? copyOut(this.container, containerPath, hostDir)
    );
  }

  spawn(cmd: readonly string[], options?: SpawnOptions): Promise<SpawnedProcess> {
    const proc = SpawnedProcess.start(this.agent, this.name, cmd, options);
    this.spawned.add(proc);
    return Promise.resolve(proc);
  }

  /** Processes started with spawn(), to collect their logs. */
  processes(): readonly SpawnedProcess[] {
    return [...this.spawned];
  }

  /** Kills the whole container, as a crash of the host would (SIGKILL, no goodbye). */
  async kill(): Promise<void> {
    await this.container.kill({ signal: 'SIGKILL' }).catch((err: unknown) => {
      // 409: already stopped; that is what was asked for.
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    });
  }
}
