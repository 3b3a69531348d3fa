import type Docker from 'dockerode';
import { copyOut, putFiles, type FileToPut } from './archive.ts';
import { execIn, execOk, type ExecOptions, type ExecResult } from './exec.ts';
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
  ) {}

  exec(cmd: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return execIn(this.container, cmd, options);
  }

  /** exec that throws when the command exits non-zero. */
  execOk(cmd: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return execOk(this.container, cmd, options);
  }

  /** Puts files into a folder of this host through the Docker API (the folder must exist). */
  putFiles(dir: string, files: readonly FileToPut[]): Promise<void> {
    return putFiles(this.container, dir, files);
  }

  /** Copies a file or folder of this host into `hostDir` on this machine; works after the host died too. */
  copyOut(containerPath: string, hostDir: string): Promise<string[]> {
    return copyOut(this.container, containerPath, hostDir);
  }

  async spawn(cmd: readonly string[], options?: SpawnOptions): Promise<SpawnedProcess> {
    const proc = await SpawnedProcess.start(this.container, this.name, cmd, options);
    this.spawned.add(proc);
    return proc;
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
