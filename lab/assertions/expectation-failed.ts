import { LabError } from '../errors/lab-error.ts';

/** A scenario's expectation did not hold; the message names it and the evidence. */
export class ExpectationFailed extends LabError {
  constructor(
    /** Which assertion failed, e.g. `everyDropResent`. */
    readonly expectation: string,
    message: string,
  ) {
    super('LAB_ERR_EXPECTATION', message);
  }
}
