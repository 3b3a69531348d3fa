import type { LabEngine } from '../engine/lab-engine.ts';
import type { LabSide } from '../host/attacker-host.ts';

/** Everything that makes one topology: what the builder gathers and starting reads. */
export interface TopologySpec {
  runId: string;
  /** Distinguishes topologies of one run (one per scenario); part of every name. */
  scenario: string;
  clients: string[];
  /** The Docker engine the hosts run on: local or remote, nothing of this machine is mounted. */
  engine: LabEngine;
  /** The image every host runs; the engine's app image (the working tree's code) unless said. */
  image?: string;
  /** Where pcaps and downloads land on this machine, copied out of the containers through the API. */
  resultsDir: string;
  /** Put into the server's /files through the API before it starts. */
  filesDir: string;
  keep: boolean;
  /** Both networks' MTU: LAB_MTU (the seed's datagram whole) unless said. */
  mtu?: number;
  /** A host of nobody's story on one of the networks (none unless asked for). */
  attacker?: AttackerSpec;
}

export interface AttackerSpec {
  /** The network it sits on: beside the clients or beside the server. */
  on: LabSide;
  /** That network floods every frame to every host (a hub), so the attacker can capture others' traffic. */
  sharedMedium?: boolean;
}
