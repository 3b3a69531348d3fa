import { expect, it } from 'vitest';
import { askServerAddress, parsePort } from './address-prompts.ts';

function scripted(answers: (string | null)[]) {
  const prompts: string[] = [];
  const printed: string[] = [];
  const ask = async (prompt: string) => {
    prompts.push(prompt);
    return answers.length > 0 ? (answers.shift() ?? null) : null;
  };
  return { ask, print: (line: string) => void printed.push(line), prompts, printed };
}

it('asks the three questions, and again after an answer it cannot use', async () => {
  const s = scripted(['not-ip', '', ' ', '127.0.0.1', '99999', '55003']);
  expect(await askServerAddress(s.ask, s.print)).toEqual({ bind: undefined, host: '127.0.0.1', port: 55003 });
  expect(s.prompts).toEqual([
    'Your IP address (blank for any): ',
    'Your IP address (blank for any): ',
    'Server IP address: ',
    'Server IP address: ',
    'Server port (55000-55015): ',
    'Server port (55000-55015): ',
  ]);
  expect(s.printed).toEqual(['Not an IP address: not-ip', 'The server address is needed.', 'Not a port number: 99999']);
});

it('lets the flags answer without asking, and gives null at the end of input', async () => {
  const s = scripted([]);
  expect(await askServerAddress(s.ask, s.print, { bind: '127.0.0.2', server: '127.0.0.1', port: 56000 })).toEqual({
    bind: '127.0.0.2',
    host: '127.0.0.1',
    port: 56000,
  });
  expect(s.prompts).toEqual([]);
  expect(await askServerAddress(s.ask, s.print, { bind: '127.0.0.2' })).toBeNull();
});

it('takes any TCP port number, nothing else', () => {
  expect(parsePort(' 55000 ')).toBe(55000);
  expect(parsePort('0')).toBeNull();
  expect(parsePort('65536')).toBeNull();
  expect(parsePort('12a')).toBeNull();
});
