import { LabError } from '../engine/lab-error.ts';

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
