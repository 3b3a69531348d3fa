import type { ControlLine, DecodedCapture } from '../pcap/index.ts';
import { endpointMatches } from '../pcap/index.ts';
import { problems } from './describe.ts';
import { ExpectationFailed } from './expectation-failed.ts';

export interface LineSpec {
  /** "ip" for any port, or "ip:port". */
  from: string;
  to: string;
  /** The exact line, without its `\n`; a RegExp to match a family of lines. */
  line: string | RegExp;
}

type Lines = ControlLine[] | DecodedCapture;

function between(lines: Lines, spec: LineSpec): ControlLine[] {
  const all = Array.isArray(lines) ? lines : lines.controlLines;
  return all.filter((l) => endpointMatches(l.from, spec.from) && endpointMatches(l.to, spec.to));
}

function matches(l: ControlLine, line: string | RegExp): boolean {
  return typeof line === 'string' ? l.text === line : line.test(l.text);
}

function clock(tsUs: number): string {
  return new Date(tsUs / 1000).toISOString().slice(11, 23);
}

function show(line: string | RegExp): string {
  return typeof line === 'string' ? JSON.stringify(line) : String(line);
}

/** The capture holds this line from one host to the other; returns its first occurrence. */
export function lineSent(lines: Lines, spec: LineSpec): ControlLine {
  const candidates = between(lines, spec);
  const hit = candidates.find((l) => matches(l, spec.line));
  if (hit) return hit;
  const seen = candidates.length
    ? `the lines from ${spec.from} to ${spec.to} were: ${problems(
        candidates.map((l) => JSON.stringify(l.text)),
        10,
      )}`
    : `no control line at all went from ${spec.from} to ${spec.to}`;
  throw new ExpectationFailed(
    'lineSent',
    `no line ${show(spec.line)} was sent from ${spec.from} to ${spec.to}; ${seen}`,
  );
}

/** The capture holds no such line from one host to the other. */
export function lineNotSent(lines: Lines, spec: LineSpec): void {
  const hit = between(lines, spec).find((l) => matches(l, spec.line));
  if (hit) {
    throw new ExpectationFailed(
      'lineNotSent',
      `line ${JSON.stringify(hit.text)} was sent from ${hit.from.ip}:${hit.from.port} to ${hit.to.ip}:${hit.to.port} at ${clock(hit.tsUs)} UTC, but it should not have been`,
    );
  }
}
