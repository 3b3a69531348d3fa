import type { Impairments } from '../impairment/impairments.ts';
import type { RouterFaults } from '../impairment/router-faults.ts';
import type { AttackerSpec } from '../topology/topology-spec.ts';
import type { Attacker } from './attacker.ts';
import type { ClientProgram } from './client-program.ts';
import type { Evidence } from './evidence.ts';
import type { LabFiles } from './lab-files.ts';
import { ScenarioDefinitionError } from './scenario-errors.ts';
import type { ServerProgram } from './server-program.ts';

export interface ClientSpec {
  /** The server port this client connects to (55000 unless said). */
  port?: number;
  /** `--recovery`: `seed` for the original 100 ms timeout rounds; the client's default (adaptive) unless said. */
  recovery?: 'seed' | 'adaptive';
  /** `--reorder-window` in ms: how late a datagram may be before the adaptive recovery asks for it again. */
  reorderWindowMs?: number;
  /** false: `--no-loss-timers`, the adaptive client asks only for losses later arrivals reveal, never on a timeout (the defence against lost tails and partitions off). */
  lossTimers?: boolean;
  /** false: `--no-verify`, the client saves without checking the server's checksum (the defence against forged datagrams off). */
  verify?: boolean;
  /** `--block-size`: bytes of the file per datagram to ask the server for (the client's `auto` unless said). */
  blockSize?: number;
}

export interface ServerSpec {
  /** `--pause`: the percentage after which a download waits for proceed. */
  pause?: number;
  /** `--rate` in Mbit/s. */
  rate?: number;
  /** `--fixed-rate`: every download at exactly `rate`, the client's progress reports ignored (the server's hold-back on a silent path off). */
  fixedRate?: boolean;
  /** `--max-per-address`: connections one client address may hold (0: no limit). */
  maxPerAddress?: number;
  /** `--idle-before-connect` in seconds (0: never). */
  idleBeforeConnect?: number;
}

/** What a scenario's story gets to act with. */
export interface ScenarioLab {
  server: ServerProgram;
  clients: Record<string, ClientProgram>;
  /** The router between the networks, to break in the middle of the story: partition, heal, restart. */
  router: RouterFaults;
  /** The attacker host of a scenario that asked for one (`attacker: { on: … }`). */
  attacker: Attacker;
  files: LabFiles;
  /** The run's seed: random loss drawn from it replays exactly. */
  seed: number;
  // Properties, not methods: a story takes them out of the lab (`async run({ note, captured })`).
  note: (message: string) => void;
  /**
   * Ends every program as its user would, closes every pcap and reads them:
   * what the wire saw, ready to be checked. Call it once the story is over.
   */
  captured: () => Promise<Evidence>;
}

export interface ImpairContext {
  seed: number;
  files: LabFiles;
}

export interface Scenario {
  /** kebab-case: names the results folder and the containers. */
  name: string;
  /** One line: what this scenario shows. */
  title: string;
  clients: Record<string, ClientSpec>;
  server?: ServerSpec;
  /** A host of nobody's story, on one of the networks: see lab/scenario/attacker.ts. */
  attacker?: AttackerSpec;
  /**
   * Both networks carry frames of this many bytes: 2076 unless said (a full datagram of the seed's
   * block, and no larger, so the client keeps that block); 9000 for jumbo frames.
   */
  mtu?: number;
  /** Extra files the server offers in this scenario, by name and size in bytes (deterministic content). */
  files?: Record<string, number>;
  /**
   * Runs with its engine to itself, also under `--jobs`: its verdict compares times (which recovery
   * is faster, whether a late datagram is read before the client gives up on it), and other
   * scenarios on the same cores would change them. Such scenarios run first, one at a time.
   */
  alone?: boolean;
  /** Loss and rate limits on the router, applied before any program starts. */
  impair?: (impairments: Impairments, ctx: ImpairContext) => void;
  /** The story: what the users type and see, then `lab.captured()` and the checks on the wire. */
  run(lab: ScenarioLab): Promise<void>;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

export function scenario(definition: Scenario): Scenario {
  if (!NAME.test(definition.name))
    throw new ScenarioDefinitionError(`scenario name ${JSON.stringify(definition.name)} must match ${NAME}`);
  return definition;
}
