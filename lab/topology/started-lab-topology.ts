import type Docker from 'dockerode';
import type { LabEngine } from '../engine/lab-engine.ts';
import { TOPOLOGY_LABEL } from '../engine/labels.ts';
import type { AttackerHost } from '../host/attacker-host.ts';
import type { LabHost } from '../host/lab-host.ts';
import type { RouterHost } from '../host/router-host.ts';
import { unregisterTopology } from './cleanup-registry.ts';
import type { LabNetworkPair } from './lab-networks.ts';
import { TopologyError } from './topology-errors.ts';
import type { TopologySpec } from './topology-spec.ts';
import { ignoreGone } from './leftovers.ts';

export class StartedLabTopology {
  private stopped = false;

  constructor(
    readonly engine: LabEngine,
    /** Prefix of every container and network name of this topology. */
    readonly id: string,
    readonly spec: Readonly<TopologySpec>,
    readonly networks: LabNetworkPair,
    readonly router: RouterHost,
    readonly server: LabHost,
    readonly clients: readonly LabHost[],
    /** Wall time start() took, for the results. */
    readonly startupMs: number,
    /** The attacker host, when the topology was asked for one. */
    readonly attacker: AttackerHost | null = null,
  ) {}

  get runId(): string {
    return this.spec.runId;
  }

  get resultsDir(): string {
    return this.spec.resultsDir;
  }

  client(name: string): LabHost {
    const host = this.clients.find((c) => c.name === name);
    if (!host) throw new TopologyError(`no client ${name} (have ${this.clients.map((c) => c.name).join(', ')})`);
    return host;
  }

  hosts(): LabHost[] {
    return [this.router, this.server, ...this.clients, ...(this.attacker ? [this.attacker] : [])];
  }

  howToReach(): string {
    const lines = this.hosts().map((h) => `  docker exec -it ${h.containerName} bash    # ${h.name} ${h.ip}`);
    return [
      `lab: kept topology ${this.id} on ${this.engine.url} (results in ${this.resultsDir}):`,
      ...lines,
      `  remove it with: ${this.engine.isLocal ? '' : `DOCKER_HOST=${this.engine.url} `}docker rm -f $(docker ps -aq --filter label=${TOPOLOGY_LABEL}=${this.id}) && docker network rm $(docker network ls -q --filter label=${TOPOLOGY_LABEL}=${this.id})`,
      '',
    ].join('\n');
  }

  /** Removes every container and network of this topology, unless it was asked to be kept. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.spec.keep) {
      process.stderr.write(this.howToReach());
      return;
    }
    await removeTopology(this.engine.docker, this.id);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

export async function removeTopology(docker: Docker, id: string): Promise<void> {
  const filters = JSON.stringify({ label: [`${TOPOLOGY_LABEL}=${id}`] });
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreGone)),
  );
  const networks = await docker.listNetworks({ filters });
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(ignoreGone)));
  unregisterTopology(id);
}
