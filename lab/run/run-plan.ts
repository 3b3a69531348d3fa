import { createHash } from 'node:crypto';
import type { Scenario } from '../scenario/scenario.ts';

/** One scenario run of a lab run: a scenario and which repeat of it, with the seed it gets. */
export interface PlannedRun {
  scenario: Scenario;
  /** The scenario's name, or `<name>.r<k>` when the run repeats each scenario: names its folder, its row and its test case. */
  name: string;
  /** 1 … repeat. */
  repeat: number;
  seed: number;
  /** Place in the whole (unsharded) plan: the order of the table, the summary and junit.xml. */
  index: number;
}

const REPEAT_SUFFIX = /^(.+)\.r([1-9]\d*)$/;

export function instanceName(name: string, repeat: number, repeats: number): string {
  return repeats > 1 ? `${name}.r${repeat}` : name;
}

/** `random-loss.r3` → { name: 'random-loss', repeat: 3 }; a plain name has no repeat. */
export function parseInstanceName(text: string): { name: string; repeat?: number } {
  const m = REPEAT_SUFFIX.exec(text);
  return m ? { name: m[1], repeat: Number(m[2]) } : { name: text };
}

/**
 * The seed a scenario run gets: a function of the run's seed, the scenario's name and the repeat
 * alone, never of the order, the shard, the engine or the timing, so that any run with the same
 * seed gives each scenario the same losses, in whatever order or place it ran.
 */
export function scenarioSeed(runSeed: number, name: string, repeat: number): number {
  const digest = createHash('sha256').update(`udp-chat-lab\n${runSeed}\n${name}\n${repeat}`).digest();
  return (digest.readUInt32BE(0) % 999_999_999) + 1;
}

/** Every scenario × repeat, scenario by scenario in the given order, each repeat after the one before. */
export function planRun(scenarios: readonly Scenario[], opts: { seed: number; repeat: number }): PlannedRun[] {
  return scenarios.flatMap((scenario, s) =>
    Array.from({ length: opts.repeat }, (_, r) => ({
      scenario,
      name: instanceName(scenario.name, r + 1, opts.repeat),
      repeat: r + 1,
      seed: scenarioSeed(opts.seed, scenario.name, r + 1),
      index: s * opts.repeat + r,
    })),
  );
}
