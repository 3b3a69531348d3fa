import { LabError } from '../errors/lab-error.ts';

/** An impairment that cannot be what was asked: a loss outside [0, 100), two rates for one flow. */
export class ImpairmentError extends LabError {
  constructor(message: string) {
    super('LAB_ERR_IMPAIRMENT', message);
  }
}

/** Asked for a netem feature on a kernel without netem: never a silent no-op. */
export class NetemMissingError extends LabError {
  constructor(
    readonly features: readonly string[],
    detail: string,
  ) {
    super(
      'LAB_ERR_NETEM_MISSING',
      `${features.join(', ')} need${features.length === 1 ? 's' : ''} the netem qdisc, which this Docker host's kernel lacks (${detail}); ` +
        'loss, deterministic drops and rate limits still work (nftables, tbf)',
    );
  }
}
