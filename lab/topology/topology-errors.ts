import { LabError } from '../errors/lab-error.ts';

/** A topology that cannot be built as described: a bad or repeated host name, too many clients. */
export class TopologyError extends LabError {
  constructor(message: string) {
    super('LAB_ERR_TOPOLOGY', message);
  }
}

export class NoSubnetError extends LabError {
  constructor(tried: readonly string[]) {
    super('LAB_ERR_NO_SUBNET', `no free 10.231.x.0/24 pair for the lab networks (tried ${tried.join(', ')})`);
  }
}
