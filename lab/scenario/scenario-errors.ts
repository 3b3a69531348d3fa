import { LabError } from '../errors/lab-error.ts';

export class ServerNotReadyError extends LabError {
  constructor(timeoutMs: number, stderr: string) {
    super('LAB_ERR_SERVER_NOT_READY', `the server did not listen on every port within ${timeoutMs} ms:\n${stderr}`);
  }
}

/** The client printed something the lab cannot read: its output changed, or it failed mid-way. */
export class ClientOutputError extends LabError {
  constructor(message: string) {
    super('LAB_ERR_CLIENT_OUTPUT', message);
  }
}

export class ProgramExitError extends LabError {
  constructor(failures: string[]) {
    super('LAB_ERR_PROGRAM_EXIT', `programs did not end cleanly: ${failures.join('; ')}`);
  }
}

/** A scenario file that does not describe a scenario the lab can run (its name names folders and containers). */
export class ScenarioDefinitionError extends LabError {
  constructor(message: string) {
    super('LAB_ERR_SCENARIO_DEFINITION', message);
  }
}

export class ScenarioTimeoutError extends LabError {
  constructor(scenario: string, ms: number) {
    super('LAB_ERR_SCENARIO_TIMEOUT', `scenario ${scenario} did not finish within ${ms / 1000} s`);
  }
}
