import { LabError } from '../errors/lab-error.ts';

export class CaptureStartError extends LabError {
  constructor(detail: string) {
    super('LAB_ERR_CAPTURE', `tcpdump did not start: ${detail}`);
  }
}

/** The verdicts compare the two router captures: a hole in either would read as a protocol fault. */
export class CaptureIncompleteError extends LabError {
  constructor(captures: readonly { point: string; droppedByKernel: number }[]) {
    super(
      'LAB_ERR_CAPTURE_INCOMPLETE',
      `the captures are incomplete, so the wire cannot be judged: ${captures.map((c) => `${c.point} lost ${c.droppedByKernel} packets in the kernel`).join(', ')} (the machine was too busy; the server's --rate paces downloads)`,
    );
  }
}
