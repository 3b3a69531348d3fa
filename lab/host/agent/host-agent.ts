/**
 * The one process of the lab's own in every lab host: it starts the programs the lab asks for,
 * feeds their stdin, signals them and reports their output and exit, over the container's
 * attached stdin and stdout. Starting a program this way is a fork inside the container; a
 * `docker exec` costs the engine about a quarter of a CPU-second (runc, the shim, the engine's
 * bookkeeping), which on two cores is what limits how many scenarios run at once.
 *
 * Runs with Node's built-ins only: it is bundled into one script and given to `node -e`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import { encodeMessage, parseAgentRequest, type AgentEvent, type AgentRequest } from './agent-messages.ts';

const children = new Map<number, ChildProcess>();

function report(event: AgentEvent): void {
  process.stdout.write(encodeMessage(event));
}

function start(req: Extract<AgentRequest, { op: 'start' }>): void {
  const env = { ...process.env };
  for (const pair of req.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const child = spawn(req.cmd[0], req.cmd.slice(1), {
    env,
    cwd: req.cwd,
    stdio: [req.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  children.set(req.id, child);
  let failed = false;
  child.stdout?.on('data', (b: Buffer) => report({ id: req.id, ev: 'stdout', data: b.toString('base64') }));
  child.stderr?.on('data', (b: Buffer) => report({ id: req.id, ev: 'stderr', data: b.toString('base64') }));
  // A program that exits without reading all its stdin must not take the agent with it.
  child.stdin?.on('error', () => undefined);
  child.on('error', (err) => {
    failed = true;
    const text = `${req.cmd[0]}: ${err.message}\n`;
    report({ id: req.id, ev: 'stderr', data: Buffer.from(text).toString('base64') });
  });
  // 'close' comes after the last of its output, so the exit is always the last event of a program.
  child.on('close', (code, signal) => {
    children.delete(req.id);
    const bySignal = signal ? 128 + (constants.signals[signal] ?? 0) : -1;
    report({ id: req.id, ev: 'exit', code: failed ? 127 : (code ?? bySignal) });
  });
}

function handle(req: AgentRequest): void {
  if (req.op === 'start') return start(req);
  const child = children.get(req.id);
  if (!child) return;
  if (req.op === 'write') child.stdin?.write(Buffer.from(req.data, 'base64'));
  else if (req.op === 'end') child.stdin?.end();
  else if (req.op === 'kill') {
    try {
      child.kill(req.signal as NodeJS.Signals);
    } catch {
      // An unknown signal's name: nothing to send.
    }
  }
}

createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  const req = parseAgentRequest(line);
  if (req) handle(req);
});
// The host lives on when the lab lets go of it (a kept topology, for `docker exec -it`).
setInterval(() => undefined, 1 << 30);
