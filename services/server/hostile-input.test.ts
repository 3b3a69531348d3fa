import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { MAX_LINE_BYTES } from '../protocol/line-codec.ts';
import { serverLine } from '../protocol/server-messages.ts';
import { LineClient, sleep } from '../test-support/line-client.ts';
import { useServerFixture } from '../test-support/server-fixture.ts';
import { UdpTestReceiver } from '../test-support/udp-test-receiver.ts';

const env = useServerFixture('hostile', { 'ten.bin': Buffer.alloc(CHUNK_SIZE * 10, 7) });
let nameSeq = 0;

async function client(localAddress = '127.0.0.2'): Promise<LineClient> {
  return env.track(await LineClient.connect(env.server.ports[0], localAddress));
}

async function connected(localAddress = '127.0.0.2'): Promise<LineClient> {
  const c = await client(localAddress);
  expect(await c.ask(`connect|hostile${nameSeq++}`)).toBe('connected');
  return c;
}

/** Sends raw bytes, then a `get_users`, and returns every line answered before its `users` line. */
async function answersTo(c: LineClient, bytes: Buffer | string): Promise<string[]> {
  const from = c.lines.length;
  c.socket.write(bytes);
  c.send('get_users');
  await c.waitFor(/^users/, 3000, from);
  const lines = c.lines.slice(from).filter((l) => !/ is (dis)?connected$/.test(l));
  return lines.slice(
    0,
    lines.findIndex((l) => l.startsWith('users')),
  );
}

describe('hostile input: bytes', () => {
  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong encoding of /', [0xc0, 0xaf]],
    ['a truncated 3-byte sequence', [0xe2, 0x82]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['bytes that never occur in UTF-8', [0xf5, 0xfe, 0xff]],
  ])('answers invalid UTF-8 (%s) with one error line', async (_, bytes) => {
    const c = await client();
    const answers = await answersTo(c, Buffer.from([...Buffer.from('get_'), ...bytes, 0x0a]));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(/^error\|unknown command: get_\uFFFD/);
  });

  it('takes a name with invalid UTF-8 as replacement characters, which cannot forge anything', async () => {
    const c = await client();
    expect(await answersTo(c, Buffer.from([...Buffer.from('connect|x'), 0xff, 0x0a]))).toEqual(['connected']);
    expect(await c.ask('get_users')).toBe('users|x\uFFFD');
  });

  it.each([
    ['NUL alone', '\u0000\n', /^error\|unknown command: \u0000$/],
    ['NUL after a command', 'get_users\u0000\n', /^error\|unknown command: get_users\u0000$/],
    ['a bare CR line', '\r\n', /^error\|empty line$/],
    // The echoed \r ends up just before the answer's own \n, where the reader drops it.
    ['two CRs', 'get_users\r\r\n', /^error\|unknown command: get_users$/],
    ['ESC sequences', '\u001b[2J\u001b[H\n', /^error\|unknown command: \u001b\[2J/],
    ['DEL and BEL', '\u007f\u0007\n', /^error\|unknown command/],
  ])('answers %s with one error line', async (_, input, answer) => {
    const c = await client();
    const answers = await answersTo(c, input);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(answer);
  });

  it('refuses control characters anywhere in a name, C0 and C1 alike', async () => {
    const c = await client();
    for (const name of ['a\u0000b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\u009bb']) {
      expect(await c.ask(`connect|${name}`)).toBe("can't connect. Name can't contain control characters");
    }
    expect(await c.ask('get_users')).toBe('users');
  });

  it("refuses messages with control characters, which would drive other users' terminals", async () => {
    const alice = await connected('127.0.0.4');
    const bob = await connected('127.0.0.5');
    const bobName = (await bob.ask('get_users')).split('|').at(-1);
    for (const text of ['\u001b[2J\u001b[Hyou have been logged out', 'bell\u0007', 'nul\u0000', 'csi\u009b31m']) {
      expect(await alice.ask(`msg_all|${text}`)).toBe("can't send. Message can't contain control characters");
      expect(await alice.ask(`msg|${text}|${bobName}`)).toBe("can't send. Message can't contain control characters");
    }
    alice.send('msg_all|tabs\tare fine');
    await bob.waitFor(/^msg_all\|hostile\d+\|tabs\tare fine$/);
    expect(bob.lines.filter((l) => l.startsWith('msg'))).toHaveLength(1);
  });

  it(`holds at most ${MAX_LINE_BYTES} bytes of 10 MB sent without a newline, answers once, and drops the rest of that line`, async () => {
    const c = await client();
    const from = c.lines.length;
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    let highest = 0;
    for (let sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) {
      if (!c.socket.write(chunk)) await new Promise((resolve) => c.socket.once('drain', resolve));
      highest = Math.max(highest, env.server.started.stats().pendingInputBytes);
    }
    await sleep(50);
    highest = Math.max(highest, env.server.started.stats().pendingInputBytes);
    expect(highest).toBeLessThanOrEqual(MAX_LINE_BYTES);
    // Still inside the overlong line: the server has answered it once, and holds nothing of it.
    await c.waitFor(`error|line longer than ${MAX_LINE_BYTES} bytes skipped`, 3000, from);
    expect(env.server.started.stats().pendingInputBytes).toBe(0);
    c.socket.write('tail of the long line\nget_users\n');
    await c.waitFor(/^users/, 3000, from);
    expect(c.lines.slice(from)).toEqual([`error|line longer than ${MAX_LINE_BYTES} bytes skipped`, 'users']);
  });

  it('takes a line of exactly the limit, and refuses one byte more', async () => {
    const c = await client();
    const fits = `msg_all|${'x'.repeat(MAX_LINE_BYTES - 'msg_all|'.length)}`;
    expect(await answersTo(c, `${fits}\n`)).toEqual(["can't send. You are not connected. Use connect first"]);
    expect(await answersTo(c, `${fits}x\n`)).toEqual([`error|line longer than ${MAX_LINE_BYTES} bytes skipped`]);
  });
});

describe('hostile input: names', () => {
  it.each([
    ['33 characters', 'n'.repeat(33), "can't connect. Name is longer than 32 characters"],
    ['a |', 'al|ice', "can't connect. Name can't contain '|'"],
    ['only spaces', '  ', "can't connect. Name can't start or end with a space"],
    ['a leading space', ' alice', "can't connect. Name can't start or end with a space"],
    ['a trailing space', 'alice ', "can't connect. Name can't start or end with a space"],
  ])('refuses a name with %s', async (_, name, answer) => {
    const c = await client();
    expect(await c.ask(`connect|${name}`)).toBe(answer);
    expect(await c.ask('get_users')).toBe('users');
  });

  it('takes 32 characters, counted as characters, not bytes', async () => {
    const c = await client();
    const emoji = '\u{1F600}'.repeat(32);
    expect(await c.ask(`connect|${emoji}`)).toBe('connected');
    expect(await c.ask('get_users')).toBe(`users|${emoji}`);
  });

  it('reads a name with a newline as a name and a second, unknown line', async () => {
    const c = await client();
    expect(await answersTo(c, 'connect|ab\ncd\n')).toEqual(['connected', 'error|unknown command: cd']);
    expect(await c.ask('get_users')).toBe('users|ab');
  });
});

describe('hostile input: file names', () => {
  it.each([
    ['../secret.txt'],
    ['..%2Fsecret.txt'],
    ['%2e%2e%2fsecret.txt'],
    ['%2E%2E/secret.txt'],
    ['..\\secret.txt'],
    ['sub/inner.txt'],
    ['sub%2Finner.txt'],
    ['./q.txt'],
    ['q.txt/'],
    ['q.txt\u0000'],
    ['outdir/deep.txt'],
    ['outdir'],
    ['chain.txt'],
    ['leak.txt'],
    ['sub'],
    ['/etc/passwd'],
    ['//etc/passwd'],
    ['~/secret.txt'],
  ])('treats %j as not found', async (name) => {
    const c = await connected();
    expect(await c.ask(`download|${name}`)).toBe(serverLine.fileNotFound);
  });

  it('treats an absolute path as not found, even one that leads into the files folder', async () => {
    const c = await connected();
    expect(await c.ask(`download|${path.join(env.fixture.files, 'q.txt')}`)).toBe(serverLine.fileNotFound);
    expect(await c.ask(`download|${path.join(env.fixture.root, 'secret.txt')}`)).toBe(serverLine.fileNotFound);
  });

  it('lists neither links leading out nor folders, and serves a link that stays inside', async () => {
    const c = await connected();
    expect(await c.ask('get_list_file')).toBe('files|alias.txt|q.txt|ten.bin');
    expect(await c.ask('download|alias.txt')).toBe('|1');
  });
});

describe('hostile input: download commands', () => {
  async function downloading() {
    const c = await connected('127.0.0.3');
    const udp = env.track(await UdpTestReceiver.open('127.0.0.3'));
    expect(await c.ask('download|ten.bin')).toBe('|10');
    return { c, udp };
  }

  it.each(['0', '65536', '99999999999', '-1', 'port', '', ' 5000', '5000 ', '0x1388', '5000|6000'])(
    'refuses udp|%s and still takes a good port after it',
    async (port) => {
      const { c, udp } = await downloading();
      expect(await c.ask(`udp|${port}`)).toMatch(/^error\|udp needs a port from 1 to 65535/);
      c.send(`udp|${udp.port}`);
      await udp.settle(5);
      expect(udp.held.size).toBe(5);
    },
  );

  it.each([
    ['negative', '-1', /^error\|resend needs sequence numbers, got -1$/],
    ['non-numeric', 'one', /^error\|resend needs sequence numbers, got one$/],
    ['fractional', '1.5', /^error\|resend needs sequence numbers/],
    ['empty', '', /^error\|resend needs sequence numbers/],
    ['a trailing |', '1|', /^error\|resend needs sequence numbers/],
    ['beyond 32 bits', '4294967296', /^error\|resend needs sequence numbers/],
    ['eleven digits', '99999999999', /^error\|resend needs sequence numbers/],
    ['past the pause', '5|6|9', /^error\|resend: 3 seqs were never sent and are ignored$/],
    ['past the end', '10|4294967295', /^error\|resend: 2 seqs were never sent and are ignored$/],
  ])('refuses a resend list that is %s and sends nothing for it', async (_, list, answer) => {
    const { c, udp } = await downloading();
    c.send(`udp|${udp.port}`);
    await udp.settle(5);
    expect(await c.ask(`resend|${list}`)).toMatch(answer);
    await sleep(100);
    expect(udp.arrivals).toHaveLength(5);
  });

  it('answers an enormous list of one seq with a single resend', async () => {
    const { c, udp } = await downloading();
    c.send(`udp|${udp.port}`);
    await udp.settle(5);
    const list = Array(Math.floor((MAX_LINE_BYTES - 10) / 2))
      .fill('3')
      .join('|');
    expect(await answersTo(c, `resend|${list}\n`)).toEqual([]);
    await sleep(100);
    expect(udp.seqsSent().filter((s) => s === 3)).toHaveLength(2);
  });
});

describe('hostile input: where datagrams go', () => {
  it('sends datagrams only to the address the TCP connection comes from, whatever port it names', async () => {
    const c = await connected('127.0.0.6');
    // A socket on another address with the same port: a reflection target the client does not own.
    const elsewhere = env.track(await UdpTestReceiver.open('127.0.0.7'));
    expect(await c.ask('download|ten.bin')).toBe('|10');
    c.send(`udp|${elsewhere.port}`);
    await sleep(150);
    expect(elsewhere.arrivals).toEqual([]);
    expect(env.server.events.some((e) => e.includes(`download-udp sending to 127.0.0.6:${elsewhere.port} `))).toBe(
      true,
    );
  });
});
