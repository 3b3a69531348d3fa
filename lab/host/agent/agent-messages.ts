/**
 * The host agent's wire format: one JSON object per line, requests on the agent's stdin, events
 * on its stdout. Output travels as base64, so any bytes a program prints arrive as printed.
 */
export type AgentRequest =
  | { op: 'start'; id: number; cmd: readonly string[]; env?: readonly string[]; cwd?: string; stdin: boolean }
  | { op: 'write'; id: number; data: string }
  | { op: 'end'; id: number }
  | { op: 'kill'; id: number; signal: string };

export type AgentEvent =
  { id: number; ev: 'stdout' | 'stderr'; data: string } | { id: number; ev: 'exit'; code: number };

export function encodeMessage(message: AgentRequest | AgentEvent): string {
  return `${JSON.stringify(message)}\n`;
}

/** The event a line carries; undefined for anything else the host printed (its set-up lines). */
export function parseAgentEvent(line: string): AgentEvent | undefined {
  if (!line.startsWith('{"id":')) return undefined;
  try {
    const event = JSON.parse(line) as AgentEvent;
    return typeof event.id === 'number' ? event : undefined;
  } catch {
    return undefined;
  }
}

/** The request a line carries; undefined for a line that is not one. */
export function parseAgentRequest(line: string): AgentRequest | undefined {
  try {
    const request = JSON.parse(line) as AgentRequest;
    return typeof request.id === 'number' && typeof request.op === 'string' ? request : undefined;
  } catch {
    return undefined;
  }
}
