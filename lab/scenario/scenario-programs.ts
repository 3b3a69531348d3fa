import { DEFAULT_PAUSE_PERCENT, DEFAULT_PORTS } from '../../services/protocol/defaults.ts';
import type { StartedLabTopology } from '../topology/started-lab-topology.ts';
import { Attacker } from './attacker.ts';
import { ClientProgram } from './client-program.ts';
import type { LabFiles } from './lab-files.ts';
import { endPrograms, writeLogs } from './program-logs.ts';
import type { Scenario, ServerSpec, ClientSpec } from './scenario.ts';
import { ServerProgram } from './server-program.ts';

// Well below what two cores forward and capture five times over without dropping: see CaptureIncompleteError.
const DEFAULT_LAB_RATE_MBIT = 100;

/** The pause the scenario's clients expect: what the server should do, whatever it is told. */
export const scenarioPause = (scenario: Scenario): number => scenario.server?.pause ?? DEFAULT_PAUSE_PERCENT;

/**
 * The programs of one scenario: the real server, a client per name, the attacker. Filled as each one
 * starts, so that a start that fails half-way still leaves the ones running to be ended and logged.
 */
export class ScenarioPrograms {
  server?: ServerProgram;
  readonly clients: Record<string, ClientProgram> = {};
  attacker?: Attacker;

  async start(
    scenario: Scenario,
    topology: StartedLabTopology,
    context: {
      files: LabFiles;
      dir: string;
      serverOverrides?: Partial<ServerSpec>;
      clientOverrides?: Partial<ClientSpec>;
      stepWaitMs?: number;
      note: (m: string) => void;
    },
  ): Promise<void> {
    const pause = scenarioPause(scenario);
    const server = await ServerProgram.start(topology.server, {
      rate: DEFAULT_LAB_RATE_MBIT,
      ...scenario.server,
      ...context.serverOverrides,
      pause: context.serverOverrides?.pause ?? pause,
    });
    this.server = server;
    for (const [name, spec] of Object.entries(scenario.clients)) {
      this.clients[name] = await ClientProgram.start(name, topology.client(name), {
        serverIp: server.ip,
        port: spec.port ?? DEFAULT_PORTS.first,
        resultsDir: context.dir,
        pause,
        ...{
          recovery: spec.recovery,
          reorderWindowMs: spec.reorderWindowMs,
          lossTimers: spec.lossTimers,
          verify: spec.verify,
          blockSize: spec.blockSize,
          ...context.clientOverrides,
        },
        stepWaitMs: context.stepWaitMs,
        note: context.note,
      });
    }
    if (topology.attacker)
      this.attacker = await Attacker.start(topology.attacker, {
        serverIp: server.ip,
        files: context.files,
        note: context.note,
      });
  }

  /**
   * Ends each program as its user would and writes its logs into `dir`. Returns the verdict of
   * their exit codes (to throw once the pcaps are read) and which usually silent streams spoke.
   */
  async end(dir: string) {
    await this.attacker?.stop(dir);
    if (!this.server) return { exits: undefined, chatty: undefined };
    const clients = Object.values(this.clients);
    const exits = await endPrograms(this.server, clients);
    return { exits, chatty: await writeLogs(dir, this.server, clients) };
  }
}
