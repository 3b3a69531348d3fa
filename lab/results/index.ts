export type {
  DatagramCounts,
  FailureInfo,
  MachineInfo,
  PlannedScenario,
  RunPlan,
  RunSummary,
  ScenarioResult,
} from './types.ts';
export { datagramCounts, failureFrom, scenarioResult } from './scenario-result.ts';
export { machineInfo } from './machine-info.ts';
export { renderJUnit } from './junit.ts';
export { renderTable, shouldColor, type TableOptions } from './console-table.ts';
export { toReadableJson } from './readable-json.ts';
export { writeRunSummary, writeScenarioResults } from './write-results.ts';
export * from './run-folder.ts';
export { filesPresent } from './files-present.ts';
export { folderFacts } from './folder-facts.ts';
