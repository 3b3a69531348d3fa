/** What one running scenario needs of its engine's machine, measured (docs/LAB.md, "Parallel runs"). */
export const SCENARIO_FOOTPRINT = {
  /** Cores a scenario keeps busy on average, over its whole run (container start-up, programs, tcpdump, decoding). */
  cores: 0.6,
  /** Memory: the capture rings (2 × 128 MiB on the router, 64 MiB per host) plus five containers and their programs. */
  memoryGiB: 1,
};

export interface MachineShape {
  cores: number;
  memoryGiB: number;
}

/**
 * How many scenarios one engine runs at once by default: as many as its cores carry without the
 * router captures falling behind, and half its memory holds; at least one.
 */
export function defaultJobs(machine: MachineShape): number {
  const byCores = Math.floor(machine.cores / SCENARIO_FOOTPRINT.cores);
  const byMemory = Math.floor((machine.memoryGiB * 0.5) / SCENARIO_FOOTPRINT.memoryGiB);
  return Math.max(1, Math.min(byCores, byMemory));
}
