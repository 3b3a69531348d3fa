/** A lab error's stable code: results, junit.xml and tests match on it (docs/ERRORS.md lists each one). */
export type LabErrorCode = `LAB_ERR_${string}`;

/**
 * The base of every error the lab raises itself. Abstract, so that each code has its own class
 * next to the code that raises it, and a caller can tell them apart by class or by code.
 */
export abstract class LabError extends Error {
  constructor(
    readonly code: LabErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** What was thrown, as one readable message: an error's message, anything else as itself. */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
