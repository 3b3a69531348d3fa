import type { Scenario } from './scenario.ts';
import { ScenarioRun, type ScenarioOutcome, type ScenarioRunOptions } from './scenario-run.ts';

export type { ScenarioOutcome, ScenarioRunOptions };

/** One scenario from first container to last verdict, in one call; never throws, the outcome says what failed. */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioOutcome> {
  await using run = new ScenarioRun(scenario, options);
  await run.start();
  await run.play();
  return await run.verdict();
}
