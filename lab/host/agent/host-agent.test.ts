import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMessage, parseAgentEvent, type AgentEvent, type AgentRequest } from './agent-messages.ts';
import { agentScript } from './agent-script.ts';

// The agent as a lab host runs it (`node -e` on its bundle), here as a process of this machine.
function startAgent() {
  const agent = spawn(process.execPath, ['-e', agentScript()], { stdio: ['pipe', 'pipe', 'inherit'] });
  const events: AgentEvent[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: agent.stdout }).on('line', (line) => {
    const event = parseAgentEvent(line);
    if (event) events.push(event);
    waiters.splice(0).forEach((wake) => wake());
  });
  return {
    agent,
    send: (request: AgentRequest) => agent.stdin.write(encodeMessage(request)),
    /** The events of one program up to its exit. */
    async until(id: number): Promise<{ stdout: string; stderr: string; code: number; order: string[] }> {
      while (!events.some((e) => e.id === id && e.ev === 'exit')) await new Promise<void>((r) => waiters.push(r));
      const mine = events.filter((e) => e.id === id);
      const text = (ev: string) =>
        mine.flatMap((e) => (e.ev === ev && 'data' in e ? [Buffer.from(e.data, 'base64').toString()] : [])).join('');
      const exit = mine.find((e) => e.ev === 'exit');
      return {
        stdout: text('stdout'),
        stderr: text('stderr'),
        code: exit && 'code' in exit ? exit.code : NaN,
        order: mine.map((e) => e.ev),
      };
    },
  };
}

let agents: Array<ReturnType<typeof startAgent>> = [];
afterEach(() => {
  agents.forEach((a) => a.agent.kill('SIGKILL'));
  agents = [];
});
const agent = () => {
  const a = startAgent();
  agents.push(a);
  return a;
};

describe('the host agent', () => {
  it('runs a program to its end: all of its output before its exit code', async () => {
    const a = agent();
    a.send({ op: 'start', id: 1, cmd: ['sh', '-c', 'seq 1 20000; echo oops >&2; exit 3'], stdin: false });
    const done = await a.until(1);
    expect(done.stdout.split('\n').slice(-3)).toEqual(['19999', '20000', '']);
    expect(done.stderr).toBe('oops\n');
    expect(done.code).toBe(3);
    expect(done.order.at(-1)).toBe('exit');
  });

  it('feeds stdin and gives EOF when asked; runs two programs at once, each with its own id', async () => {
    const a = agent();
    a.send({ op: 'start', id: 1, cmd: ['cat'], stdin: true });
    a.send({ op: 'start', id: 2, cmd: ['sh', '-c', 'read x; echo "got $x"'], stdin: true, env: ['LAB_X=1'] });
    a.send({ op: 'write', id: 2, data: Buffer.from('two\n').toString('base64') });
    a.send({ op: 'write', id: 1, data: Buffer.from('one\n').toString('base64') });
    expect((await a.until(2)).stdout).toBe('got two\n');
    a.send({ op: 'end', id: 1 });
    expect(await a.until(1)).toMatchObject({ stdout: 'one\n', code: 0 });
  });

  it('passes environment and working folder, and reports a signal as 128 + its number', async () => {
    const a = agent();
    a.send({
      op: 'start',
      id: 1,
      cmd: ['sh', '-c', 'echo "$LAB_X $(pwd)"'],
      stdin: false,
      env: ['LAB_X=a=b'],
      cwd: '/',
    });
    expect((await a.until(1)).stdout).toBe('a=b /\n');
    a.send({ op: 'start', id: 2, cmd: ['sleep', '30'], stdin: false });
    a.send({ op: 'kill', id: 2, signal: 'SIGTERM' });
    expect((await a.until(2)).code).toBe(143);
  });

  it('answers a program that cannot start with exit 127 and why, and lives on', async () => {
    const a = agent();
    a.send({ op: 'start', id: 1, cmd: ['/no/such/program'], stdin: false });
    const done = await a.until(1);
    expect(done.code).toBe(127);
    expect(done.stderr).toMatch(/no\/such\/program: .*ENOENT/);
    a.send({ op: 'kill', id: 1, signal: 'SIGNOPE' });
    a.send({ op: 'start', id: 2, cmd: ['true'], stdin: false });
    expect((await a.until(2)).code).toBe(0);
  });
});
