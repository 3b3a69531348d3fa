export const MAX_NAME_LENGTH = 32;

// Control characters (C0, DEL, C1) would let a name forge lines or garble terminals.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** Returns the reason a user name is refused, or null when it is acceptable. */
export function nameProblem(name: string): string | null {
  const length = [...name].length;
  if (length === 0) return 'Name is empty';
  if (length > MAX_NAME_LENGTH) return `Name is longer than ${MAX_NAME_LENGTH} characters`;
  if (name.includes('|')) return "Name can't contain '|'";
  if (CONTROL.test(name)) return "Name can't contain control characters";
  if (name.trim() !== name) return "Name can't start or end with a space";
  return null;
}
