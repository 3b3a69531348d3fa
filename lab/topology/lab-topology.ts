import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../engine/ensure-lab-image.ts';
import { localOrDefaultEngine, type LabEngine } from '../engine/lab-engine.ts';
import { MAX_LAB_MTU, MIN_LAB_MTU } from './lab-networks.ts';
import type { AttackerSpec, TopologySpec } from './topology-spec.ts';
import { TopologyError } from './topology-errors.ts';
import { newRunId } from './run-id.ts';
import { startTopology } from './start-topology.ts';
import type { StartedLabTopology } from './started-lab-topology.ts';

// Room for a scenario's name and a repeat suffix (`.r12`) inside Docker's names.
const NAME = /^[a-z0-9][a-z0-9.-]{0,39}$/;

/**
 * Builder for a run's hosts: a server network and a client network (fixed
 * subnets), a router on both, the server on one, the clients on the other,
 * each at a fixed address. `start()` brings them up.
 *
 * @example
 *   await using topo = await new LabTopology().withRunId(runId).withScenario('drops')
 *     .withClients(['alice', 'bob']).withResultsDir(dir).start();
 *   const applied = await new Impairments(topo).withDrop({ seq: 3, times: 1, client: 'alice' }).apply();
 *   await using captures = await startCaptures(topo);
 *   const server = await topo.server.spawn(['tsx', 'services/server/main.ts']);
 *   const alice = await topo.client('alice').spawn(['tsx', 'services/client/main.ts'], { stdin: true });
 *   alice.writeLine(`connect ${topo.server.ip} 55000 alice`);
 *   await alice.waitForLine(/connected/);
 *   const pcaps = await captures.stop(); // before reading them
 */
export class LabTopology {
  private spec: TopologySpec = {
    runId: newRunId(),
    scenario: 'lab',
    clients: ['client1'],
    engine: localOrDefaultEngine(),
    resultsDir: '',
    filesDir: path.join(REPO_ROOT, 'files'),
    keep: false,
  };

  withRunId(runId: string): this {
    this.spec.runId = runId;
    return this;
  }

  withScenario(name: string): this {
    this.spec.scenario = checkName(name, 'scenario');
    return this;
  }

  withClients(names: readonly string[]): this {
    if (names.length < 1 || names.length > 200) throw new TopologyError('between 1 and 200 clients');
    if (new Set(names).size !== names.length) throw new TopologyError(`client names repeat: ${names.join(', ')}`);
    this.spec.clients = names.map((n) => checkName(n, 'client'));
    return this;
  }

  withEngine(engine: LabEngine): this {
    this.spec.engine = engine;
    return this;
  }

  withImage(image: string): this {
    this.spec.image = image;
    return this;
  }

  /** Folder on this machine where pcaps and downloads are copied back to from the containers' /results. */
  withResultsDir(dir: string): this {
    this.spec.resultsDir = path.resolve(dir);
    return this;
  }

  /** Folder on this machine whose files the server offers: copied into its /files before it starts. */
  withFilesDir(dir: string): this {
    this.spec.filesDir = path.resolve(dir);
    return this;
  }

  /** An attacker host on one of the networks, optionally made a shared medium it can eavesdrop on. */
  withAttacker(attacker: AttackerSpec): this {
    this.spec.attacker = { ...attacker };
    return this;
  }

  /** Leave everything up after the run and print how to reach it. */
  /** Both networks carry frames of this many bytes (LAB_MTU unless said). */
  withMtu(mtu: number): this {
    if (!Number.isInteger(mtu) || mtu < MIN_LAB_MTU || mtu > MAX_LAB_MTU)
      throw new TopologyError(`an MTU from ${MIN_LAB_MTU} to ${MAX_LAB_MTU} bytes, not ${mtu}`);
    this.spec.mtu = mtu;
    return this;
  }

  withKeep(keep = true): this {
    this.spec.keep = keep;
    return this;
  }

  async start(): Promise<StartedLabTopology> {
    const spec = { ...this.spec };
    if (!spec.resultsDir) spec.resultsDir = path.join(REPO_ROOT, 'lab-results', spec.runId, spec.scenario);
    await mkdir(spec.resultsDir, { recursive: true });
    await mkdir(spec.filesDir, { recursive: true });
    const image = spec.image ?? (await spec.engine.appImage());
    return startTopology(spec.engine, { ...spec, image });
  }
}

function checkName(name: string, what: string): string {
  if (!NAME.test(name)) throw new TopologyError(`${what} name ${JSON.stringify(name)} must match ${NAME}`);
  return name;
}
