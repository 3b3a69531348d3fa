import { ExpectationFailed } from '../assertions/index.ts';

/** A promise the story itself checks (what a user or the attacker saw): fails naming it, with the evidence. */
export function expectThat(expectation: string, holds: boolean, evidence: string): void {
  if (!holds) throw new ExpectationFailed(expectation, evidence);
}
