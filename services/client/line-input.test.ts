import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LineInput } from './line-input.ts';
import { TerminalOutput } from './terminal-output.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
let inputs: LineInput[] = [];
afterEach(() => {
  for (const input of inputs) input.close();
  inputs = [];
});

function setup() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let written = '';
  stdout.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const input = new LineInput(stdin, new TerminalOutput(stdout, false));
  inputs.push(input);
  return { stdin, input, written: () => written };
}

describe('LineInput', () => {
  it('keeps lines that arrive before anyone asks, in order', async () => {
    const { stdin, input } = setup();
    stdin.write('one\ntwo\n');
    await tick();
    expect(await input.ask('A: ')).toBe('one');
    expect(await input.ask('B: ')).toBe('two');
  });

  it('prints each prompt on a line of its own when not on a TTY', async () => {
    const { stdin, input, written } = setup();
    stdin.write('x\n');
    await input.ask('Name: ');
    expect(written()).toBe('Name: \n');
  });

  it("gives the next line to a download's question ahead of the command loop", async () => {
    const { stdin, input } = setup();
    const command = input.ask('');
    const question = input.ask('Save as: ', { urgent: true });
    stdin.write('answer\ncommand\n');
    expect(await question).toBe('answer');
    expect(await command).toBe('command');
  });

  it('holds typed-ahead lines for the download while it runs, then releases them', async () => {
    const { stdin, input } = setup();
    input.holdTypedAhead(true);
    stdin.write('proceed\nnext\n');
    await tick();
    let command: string | null | undefined;
    void input.ask('').then((line) => (command = line));
    await tick();
    expect(command).toBeUndefined();
    expect(await input.ask('?', { urgent: true })).toBe('proceed');
    input.holdTypedAhead(false);
    await tick();
    expect(command).toBe('next');
  });

  it('answers null at the end of input, after the queued lines', async () => {
    const { stdin, input } = setup();
    stdin.end('last\n');
    await tick();
    expect(await input.ask('')).toBe('last');
    expect(await input.ask('')).toBeNull();
  });

  it('a withdrawn question gives null and does not eat the next line', async () => {
    const { stdin, input } = setup();
    const controller = new AbortController();
    const withdrawn = input.ask('Save as: ', { urgent: true, signal: controller.signal });
    controller.abort();
    expect(await withdrawn).toBeNull();
    const next = input.ask('');
    stdin.write('mine\n');
    expect(await next).toBe('mine');
  });
});
