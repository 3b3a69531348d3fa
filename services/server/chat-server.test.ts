import { mkdtemp, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverLine } from '../protocol/server-messages.ts';
import { LineClient } from '../test-support/line-client.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';
import { MAX_CLIENTS_PER_PORT } from './chat-server.ts';

let dir: string;
let server: TestServer;
const clients: LineClient[] = [];

async function client(localAddress = '127.0.0.2', portIndex = 0): Promise<LineClient> {
  const c = await LineClient.connect(server.ports[portIndex], localAddress);
  clients.push(c);
  return c;
}

async function connected(name: string, localAddress = '127.0.0.2', portIndex = 0): Promise<LineClient> {
  const c = await client(localAddress, portIndex);
  expect(await c.ask(`connect|${name}`)).toBe('connected');
  return c;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chat-server-test-'));
  await mkdir(path.join(dir, 'files'));
  await writeFile(path.join(dir, 'files', 'q.txt'), 'hello\n');
  await writeFile(path.join(dir, 'secret.txt'), 'outside the files folder\n');
  await symlink(path.join(dir, 'secret.txt'), path.join(dir, 'files', 'leak.txt'));
  await writeFile(path.join(dir, 'files', 'a|b.txt'), 'unlistable');
  server = await startTestServer(path.join(dir, 'files'));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  // The next test reuses names: wait until the server has released these.
  const probe = await LineClient.connect(server.ports[0], '127.0.0.9');
  while ((await probe.ask('get_users')) !== 'users') await new Promise((r) => setTimeout(r, 5));
  probe.close();
});

afterAll(async () => {
  await server.started.close();
  await rm(dir, { recursive: true, force: true });
});

describe('chat server: users and messages', () => {
  it('lists users and files without connect, on any TCP connection', async () => {
    const alice = await connected('alice', '127.0.0.2');
    const anon = await client('127.0.0.3', 1);
    expect(await anon.ask('get_users')).toBe('users|alice');
    // Only regular files directly inside the folder whose names can travel in the line.
    expect(await anon.ask('get_list_file')).toBe('files|q.txt');
    alice.close();
  });

  it('refuses a taken name with the exact line and keeps the first user unaffected', async () => {
    const alice = await connected('alice');
    const other = await client('127.0.0.3');
    expect(await other.ask('connect|alice')).toBe("can't connect. Name is taken. Try another");
    expect(await other.ask('connect|alice2')).toBe('connected');
    await alice.waitFor('alice2 is connected');
    expect(await alice.ask('get_users')).toBe('users|alice|alice2');
  });

  it.each([
    ['a'.repeat(33), 'longer than 32'],
    ['   ', 'start or end with a space'],
    ['', 'empty'],
    ['tab\there', 'control characters'],
  ])('refuses the name %j with a reason', async (name, reason) => {
    const c = await client();
    const answer = await c.ask(`connect|${name}`);
    expect(answer.startsWith("can't connect. ")).toBe(true);
    expect(answer).toContain(reason);
    expect(await c.ask('get_users')).not.toContain(name || '|');
  });

  it('tells the others when a user connects and disconnects, and closes on disconnect', async () => {
    const alice = await connected('alice');
    const bob = await connected('bob', '127.0.0.3');
    await alice.waitFor('bob is connected');
    expect(await bob.ask('disconnect')).toBe('disconnected');
    await bob.waitClosed();
    await alice.waitFor('bob is disconnected');
    expect(await alice.ask('get_users')).toBe('users|alice');
  });

  it('releases the name of a client whose connection breaks', async () => {
    const alice = await connected('alice');
    const bob = await connected('bob', '127.0.0.3');
    bob.socket.destroy();
    await alice.waitFor('bob is disconnected');
    const again = await client('127.0.0.4');
    expect(await again.ask('connect|bob')).toBe('connected');
  });

  it('delivers a broadcast to every other user once, and a private message only to its target', async () => {
    const alice = await connected('alice', '127.0.0.2', 0);
    const bob = await connected('bob', '127.0.0.3', 1);
    const carol = await connected('carol', '127.0.0.4', 0);
    alice.send('msg_all|hello | everyone');
    await bob.waitFor('msg_all|alice|hello | everyone');
    await carol.waitFor('msg_all|alice|hello | everyone');
    alice.send('msg|psst|a secret|carol');
    await carol.waitFor('msg|alice|psst|a secret');
    expect(await bob.ask('get_users')).toBe('users|alice|bob|carol');
    expect(bob.lines.filter((l) => l.startsWith('msg'))).toEqual(['msg_all|alice|hello | everyone']);
    expect(alice.lines.filter((l) => l.startsWith('msg'))).toEqual([]);
  });

  it('refuses messages from a client that is not connected, and to a user who is not online', async () => {
    const anon = await client();
    expect(await anon.ask('msg_all|hi')).toBe("can't send. You are not connected. Use connect first");
    const alice = await connected('alice', '127.0.0.3');
    expect(await alice.ask('msg|hi|nobody')).toBe("can't send. nobody is not online");
  });

  it(`sends the client after ${MAX_CLIENTS_PER_PORT} on one port away with the exact line, and serves the others`, async () => {
    const full = await Promise.all(
      Array.from({ length: MAX_CLIENTS_PER_PORT }, (_, i) => client(`127.0.1.${i + 1}`, 1)),
    );
    const extra = await client('127.0.2.1', 1);
    await extra.waitFor(`can't connect. Port ${server.ports[1]} is full. Try another port`);
    await extra.waitClosed();
    expect(await full[0].ask('get_users')).toMatch(/^users/);
    const elsewhere = await client('127.0.2.2', 0);
    expect(await elsewhere.ask('connect|spare')).toBe('connected');
  });
});

describe('chat server: bad input', () => {
  it('answers garbage with error lines and keeps the connection usable', async () => {
    const c = await client();
    expect(await c.ask('hello world')).toBe('error|unknown command: hello world');
    expect(await c.ask('resend|x')).toMatch(/^error\|resend needs/);
    expect(await c.ask('proceed')).toBe('error|no download is waiting at the pause');
    expect(await c.ask('stop')).toBe('error|no download is running');
    expect(await c.ask('udp|5000')).toBe('error|no download is waiting for a UDP port');
    c.socket.write(Buffer.from([0xff, 0xfe, 0x00, 0x0a]));
    await c.waitFor((l) => l.startsWith('error|'), 3000, c.lines.length);
    expect(await c.ask('get_users')).toMatch(/^users/);
  });

  it('refuses an overlong line once and carries on', async () => {
    const c = await client();
    const before = c.lines.length;
    c.socket.write('x'.repeat(200_000));
    c.socket.write('\nget_users\n');
    await c.waitFor(/^users/, 3000, before);
    expect(c.lines.slice(before)).toEqual(['error|line longer than 65536 bytes skipped', 'users']);
  });

  it.each(['../secret.txt', `/etc/passwd`, 'leak.txt', '.', '..', 'a|b.txt', '%2e%2e%2fsecret.txt'])(
    'treats %j as not found',
    async (name) => {
      const c = await connected('reader');
      expect(await c.ask(`download|${name}`)).toBe(serverLine.fileNotFound);
    },
  );

  it('refuses a download before connect', async () => {
    const c = await client();
    expect(await c.ask('download|q.txt')).toBe("Can't download. You are not connected. Use connect first");
  });
});
