import { LabError } from '../errors/lab-error.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { parseInstanceName, planRun, scenarioSeed, type PlannedRun } from './run-plan.ts';

export class UnknownScenarioError extends LabError {
  constructor(names: readonly string[]) {
    super('LAB_ERR_UNKNOWN_SCENARIO', `unknown scenario: ${names.join(', ')} (see --list)`);
  }
}

/**
 * The scenario runs the command line names, in the scenarios' order: a scenario's name takes
 * every repeat of it, `<name>.r<k>` that repeat alone (with the seed it had in the run that
 * printed the name, so a failure replays exactly); no name at all takes every scenario.
 */
export function selectRuns(
  scenarios: readonly Scenario[],
  names: readonly string[],
  opts: { seed: number; repeat: number },
): PlannedRun[] {
  if (names.length === 0) return planRun(scenarios, opts);
  const wanted = names.map((text) => ({ text, ...parseInstanceName(text) }));
  const known = (name: string) => scenarios.some((s) => s.name === name);
  const unknown = wanted.filter((w) => !known(w.text) && !(w.repeat && known(w.name))).map((w) => w.text);
  if (unknown.length > 0) throw new UnknownScenarioError(unknown);
  const runs: PlannedRun[] = [];
  for (const scenario of scenarios) {
    const whole = wanted.some((w) => w.text === scenario.name);
    const repeats = new Set(wanted.filter((w) => !known(w.text) && w.name === scenario.name).map((w) => w.repeat!));
    if (whole) runs.push(...planRun([scenario], opts));
    for (const repeat of [...repeats].sort((a, b) => a - b)) {
      if (whole && repeat <= opts.repeat) continue;
      runs.push({
        scenario,
        name: `${scenario.name}.r${repeat}`,
        repeat,
        seed: scenarioSeed(opts.seed, scenario.name, repeat),
        index: 0,
      });
    }
  }
  return runs.map((r, index) => ({ ...r, index }));
}
