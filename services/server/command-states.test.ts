import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { parseServerLine } from '../protocol/server-messages.ts';
import { LineClient } from '../test-support/line-client.ts';
import { useServerFixture } from '../test-support/server-fixture.ts';
import { UdpTestReceiver } from '../test-support/udp-test-receiver.ts';

/**
 * Every command in every state a session can be in: the answer is the one the protocol
 * names (or none), and the session answers `get_users` right after.
 */
// ten.bin: N = 10, H = 5. big.bin is large enough to be still sending when the next line arrives.
const env = useServerFixture(
  'states',
  { 'ten.bin': Buffer.alloc(CHUNK_SIZE * 10, 7), 'big.bin': Buffer.alloc(CHUNK_SIZE * 2000, 1) },
  // Only the two download files: a plain folder keeps the files| answer short.
  async (f) =>
    void (await Promise.all(
      ['q.txt', 'alias.txt', 'leak.txt', 'chain.txt', 'outdir'].map((n) =>
        rm(path.join(f.files, n), { recursive: true }),
      ),
    )),
);
let seq = 0;

type State = 'not connected' | 'connected' | 'awaiting port' | 'sending' | 'paused' | 'all sent' | 'after stop';

async function enter(state: State): Promise<{ c: LineClient; udp: UdpTestReceiver }> {
  const address = `127.0.3.${(seq % 200) + 1}`;
  const c = env.track(await LineClient.connect(env.server.ports[0], address));
  const udp = env.track(await UdpTestReceiver.open(address));
  if (state === 'not connected') return { c, udp };
  expect(await c.ask(`connect|state${seq++}`)).toBe('connected');
  if (state === 'connected') return { c, udp };
  expect(await c.ask(`download|${state === 'sending' ? 'big.bin' : 'ten.bin'}`)).toMatch(/^\|\d+$/);
  if (state === 'awaiting port') return { c, udp };
  c.send(`udp|${udp.port}`);
  // 'sending': the next line goes out right behind udp|, while the first batches are read and sent.
  if (state === 'sending') return { c, udp };
  await udp.settle(5);
  if (state === 'paused') return { c, udp };
  c.send('proceed');
  await udp.settle(10);
  if (state === 'all sent') return { c, udp };
  expect(await c.ask('stop')).toMatch(/^User state\d+ downloaded 100%/);
  return { c, udp };
}

const NOT_CONNECTED = /^(can't send|Can't download)\. You are not connected\. Use connect first$/;
const NO_DOWNLOAD = /^error\|no download is running$/;
const NO_PAUSE = /^error\|no download is waiting at the pause$/;
const NO_PORT = /^error\|no download is waiting for a UDP port$/;
const RUNNING = /^Can't download\. A download is already running/;
const NOT_ONLINE = /^can't send\. nobody is not online$/;
const NONE = null;

// The answer each command gets in each state; NONE: no answer (the effect is elsewhere).
const table: Record<string, Record<State, RegExp | null>> = {
  'connect|late': {
    'not connected': /^connected$/,
    connected: /^can't connect\. Already connected/,
    'awaiting port': /^can't connect\. Already connected/,
    sending: /^can't connect\. Already connected/,
    paused: /^can't connect\. Already connected/,
    'all sent': /^can't connect\. Already connected/,
    'after stop': /^can't connect\. Already connected/,
  },
  get_users: {
    'not connected': /^users/,
    connected: /^users/,
    'awaiting port': /^users/,
    sending: /^users/,
    paused: /^users/,
    'all sent': /^users/,
    'after stop': /^users/,
  },
  get_list_file: {
    'not connected': /^files\|big\.bin\|ten\.bin$/,
    connected: /^files\|/,
    'awaiting port': /^files\|/,
    sending: /^files\|/,
    paused: /^files\|/,
    'all sent': /^files\|/,
    'after stop': /^files\|/,
  },
  'msg_all|hi': {
    'not connected': NOT_CONNECTED,
    connected: NONE,
    'awaiting port': NONE,
    sending: NONE,
    paused: NONE,
    'all sent': NONE,
    'after stop': NONE,
  },
  'msg|hi|nobody': {
    'not connected': NOT_CONNECTED,
    connected: NOT_ONLINE,
    'awaiting port': NOT_ONLINE,
    sending: NOT_ONLINE,
    paused: NOT_ONLINE,
    'all sent': NOT_ONLINE,
    'after stop': NOT_ONLINE,
  },
  'download|ten.bin': {
    'not connected': NOT_CONNECTED,
    connected: /^\|10$/,
    'awaiting port': RUNNING,
    sending: RUNNING,
    paused: RUNNING,
    'all sent': RUNNING,
    'after stop': /^\|10$/,
  },
  'udp|9': {
    'not connected': NO_PORT,
    connected: NO_PORT,
    'awaiting port': NONE,
    sending: NO_PORT,
    paused: NO_PORT,
    'all sent': NO_PORT,
    'after stop': NO_PORT,
  },
  'resend|0': {
    'not connected': NO_DOWNLOAD,
    connected: NO_DOWNLOAD,
    'awaiting port': NO_DOWNLOAD,
    sending: /^(error\|resend: 1 seqs were never sent and are ignored)?$/,
    paused: NONE,
    'all sent': NONE,
    'after stop': NO_DOWNLOAD,
  },
  // Before the pause is reached, proceed just lifts it early.
  proceed: {
    'not connected': NO_PAUSE,
    connected: NO_PAUSE,
    'awaiting port': NO_PAUSE,
    sending: NONE,
    paused: NONE,
    'all sent': NO_PAUSE,
    'after stop': NO_PAUSE,
  },
  stop: {
    'not connected': NO_DOWNLOAD,
    connected: NO_DOWNLOAD,
    'awaiting port': /^download stopped$/,
    sending: /^download stopped$/,
    paused: /^download stopped$/,
    'all sent': /^User state\d+ downloaded 100% out of file\. Last byte is: 7$/,
    'after stop': NO_DOWNLOAD,
  },
};

const states: State[] = ['not connected', 'connected', 'awaiting port', 'sending', 'paused', 'all sent', 'after stop'];
const cases = Object.keys(table).flatMap((command) => states.map((state) => [command, state] as const));

describe('every command in every state', () => {
  it.each(cases)('%s while %s', async (command, state) => {
    const { c } = await enter(state);
    const from = c.lines.length;
    c.send(command, 'get_users');
    const users = await c.waitFor((l) => l.startsWith('users'), 3000, from + (command === 'get_users' ? 1 : 0));
    const answers = c.lines.slice(from, c.lines.lastIndexOf(users)).filter((l) => !/ is (dis)?connected$/.test(l));
    const expected = table[command][state];
    if (expected === NONE) expect(answers).toEqual([]);
    else if (expected.test('')) expect(answers.length).toBeLessThanOrEqual(1);
    else expect(answers).toHaveLength(1);
    for (const line of answers) {
      if (expected) expect(line).toMatch(expected);
      expect(parseServerLine(line).type).not.toBe('unknown');
    }
  });

  it.each(states)('disconnect while %s: answered, closed, name and download released', async (state) => {
    const { c } = await enter(state);
    expect(await c.ask('disconnect')).toBe('disconnected');
    await c.waitClosed();
    const probe = env.track(await LineClient.connect(env.server.ports[1], '127.0.3.250'));
    for (let i = 0; i < 100 && env.server.started.stats().connections > 1; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(env.server.started.stats()).toMatchObject({ connections: 1, downloads: 0 });
    expect(await probe.ask('get_users')).toBe('users');
  });
});
