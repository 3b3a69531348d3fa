/** A scenario's expectation did not hold; the message names it and the evidence. */
export class ExpectationFailed extends Error {
  readonly code = 'LAB_ERR_EXPECTATION';
  constructor(
    /** Which assertion failed, e.g. `everyDropResent`. */
    readonly expectation: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExpectationFailed';
  }
}
