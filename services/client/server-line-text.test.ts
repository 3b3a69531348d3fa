import { expect, it } from 'vitest';
import { parseServerLine } from '../protocol/server-messages.ts';
import { serverLineText } from './server-line-text.ts';

const show = (line: string) => serverLineText(parseServerLine(line), line);

it('shows server lines the way the user interface promises', () => {
  expect(show('msg_all|bob|hi|there')).toBe('bob (to all): hi|there');
  expect(show('msg|bob|psst')).toBe('bob (private): psst');
  expect(show('users|a|b')).toBe('Online users: a, b');
  expect(show('users')).toBe('Online users: none');
  expect(show('files|q.txt|b.bin')).toBe('Files: q.txt, b.bin');
  expect(show('|12')).toBeNull();
  for (const line of [
    'connected',
    'disconnected',
    "can't connect. Name is taken. Try another",
    "can't send. x is not online",
    "Can't download. File not found",
    'download stopped',
    'error|bad',
    'bob is connected',
    'bob is disconnected',
    'User bob downloaded 100% out of file. Last byte is: 10',
  ]) {
    expect(show(line)).toBe(line);
  }
  expect(show('what is this')).toBe('server: what is this');
  expect(show('')).toBe('server: ');
});
