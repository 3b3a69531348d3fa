export type { MachineInfo, RunPlan, RunSummary, ScenarioResult } from './types.ts';
export { scenarioResult } from './scenario-result.ts';
export { machineInfo } from './machine-info.ts';
export { renderTable, shouldColor } from './console-table.ts';
export { toReadableJson } from './readable-json.ts';
export { writeRunSummary, writeScenarioResults } from './write-results.ts';
export * from './run-folder.ts';
export { folderFacts } from './folder-facts.ts';
