import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { dockerClient } from '../engine/docker-client.ts';
import { HOSTNAME_LABEL, PID_LABEL, RUN_LABEL, TOPOLOGY_LABEL } from '../engine/labels.ts';
import { liveTopologyIds } from './cleanup-registry.ts';

export { HOSTNAME_LABEL, PID_LABEL };

export interface RemovedLeftovers {
  containers: string[];
  networks: string[];
}

/**
 * Removes containers and networks of `runId`, or, without one, of every run
 * whose process is gone (kept runs included: that is how one tidies up after
 * inspecting them). Runs of other live processes are left alone, so two
 * engineers' test runs on one machine do not tear each other down.
 */
export async function cleanupLeftovers(runId?: string, docker: Docker = dockerClient()): Promise<RemovedLeftovers> {
  const filters = JSON.stringify({ label: [runId ? `${RUN_LABEL}=${runId}` : RUN_LABEL] });
  const mine = new Set(liveTopologyIds());
  const dead = (labels: Record<string, string> | undefined): boolean => {
    if (runId) return true;
    const topology = labels?.[TOPOLOGY_LABEL];
    if (!topology || mine.has(topology)) return false;
    return !processAlive(labels?.[PID_LABEL], labels?.[HOSTNAME_LABEL]);
  };
  const containers = (await docker.listContainers({ all: true, filters })).filter((c) => dead(c.Labels));
  await Promise.all(
    containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreGone)),
  );
  const networks = (await docker.listNetworks({ filters })).filter((n) => dead(n.Labels));
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(ignoreGone)));
  return {
    containers: containers.map((c) => c.Names[0]?.replace(/^\//, '') ?? c.Id),
    networks: networks.map((n) => n.Name),
  };
}

function processAlive(pid: string | undefined, host: string | undefined): boolean {
  // Another machine's run (a shared remote engine): not ours to judge.
  if (host && host !== hostname()) return true;
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return false;
  try {
    process.kill(n, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function ignoreGone(err: unknown): void {
  const status = (err as { statusCode?: number }).statusCode;
  if (status !== 404 && status !== 409) throw err;
}
