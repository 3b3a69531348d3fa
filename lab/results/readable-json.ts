/**
 * JSON.stringify with indentation, except that small flat objects and arrays
 * of numbers stay on one line: a timeline's thousands of events then read as
 * one line each instead of six.
 */
export function toReadableJson(value: unknown, indent = '  '): string {
  return `${render(value, '', indent)}\n`;
}

const INLINE_MAX = 200;

function render(value: unknown, pad: string, indent: string): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) return 'null';
  if (value === null || typeof value !== 'object') return flat;
  if (flat.length <= INLINE_MAX && isShallow(value)) return spaced(value);
  const inner = pad + indent;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + render(v, inner, indent)).join(',\n')}\n${pad}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner, indent)}`).join(',\n')}\n${pad}}`;
}

/** Holds only primitives, arrays of primitives, and (one level down) objects of primitives: one event, one line. */
function isShallow(value: object, depth = 0): boolean {
  if (Array.isArray(value)) return value.every((x) => x === null || typeof x !== 'object');
  return Object.values(value).every(
    (v) =>
      v === null ||
      typeof v !== 'object' ||
      (Array.isArray(v)
        ? v.every((x) => x === null || typeof x !== 'object')
        : depth === 0 && isShallow(v as object, 1)),
  );
}

function spaced(value: unknown): string {
  // JSON.stringify has no option for "one line, but with spaces"; build it.
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(spaced).join(', ')}]`;
  const parts = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}: ${spaced(v)}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}
