import { PortRangeError } from './errors.ts';

/** Parses `55000-55015` (the default range) or a single port `55000` into the list of ports. */
export function parsePortRange(text: string): number[] {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!match) throw new PortRangeError(`Invalid port range "${text}": expected FIRST-LAST, such as 55000-55015`);
  const first = Number(match[1]);
  const last = Number(match[2] ?? match[1]);
  if (first < 1 || last > 65_535 || first > last) {
    throw new PortRangeError(`Invalid port range "${text}": ports must be 1-65535 and FIRST <= LAST`);
  }
  if (last - first >= 1024) throw new PortRangeError(`Port range "${text}" is too wide: at most 1024 ports`);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
