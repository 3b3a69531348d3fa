import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessDriver, waitForPort } from './testing/process-driver.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const drivers: ProcessDriver[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.kill()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function startServer(): Promise<number> {
  const port = await freePortPair();
  const server = new ProcessDriver('services/server/main.ts', [
    '--host',
    '127.0.0.1',
    '--ports',
    `${port}-${port + 1}`,
    '--files',
    'files',
    '--pause',
    '50',
  ]);
  drivers.push(server);
  await waitForPort('127.0.0.1', port);
  // Something else may have taken the range meanwhile: then this server has given up.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(server.stderr).not.toMatch(/can't start/);
  return port;
}

/** Two free ports in 56000-60000: a random range, so parallel tests and other servers do not collide. */
async function freePortPair(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const probe = net.createServer().once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
  for (;;) {
    const port = 56_000 + Math.floor(Math.random() * 2_000) * 2;
    if ((await free(port)) && (await free(port + 1))) return port;
  }
}

function startClient(args: string[]): ProcessDriver {
  const client = new ProcessDriver('services/client/main.ts', args);
  drivers.push(client);
  return client;
}

async function downloadsDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'client-e2e-'));
  dirs.push(dir);
  return dir;
}

const PAUSE_PROMPT = 'Download reached 50% (3/6 datagrams). Type proceed to continue, anything else to stop: ';

describe('the real client against the real server, driven through stdin', () => {
  it('connects, chats, lists, downloads q.txt with a pause, saves it and disconnects', async () => {
    const port = await startServer();
    const dir = await downloadsDir();
    const alice = startClient(['--downloads', dir]);
    await alice.answer('Your IP address (blank for any): ', '127.0.0.2');
    await alice.answer('Server IP address: ', '127.0.0.1');
    await alice.answer('Server port (55000-55015): ', String(port));
    await alice.waitFor(
      new RegExp(
        `^Connected to 127\\.0\\.0\\.1:${port} from 127\\.0\\.0\\.2:\\d+\\. Commands: connect, disconnect, get_users, get_list_file, download; anything else is a message\\.$`,
      ),
    );
    alice.send('connect');
    await alice.answer('Name: ', 'alice');
    await alice.waitFor('connected');

    const bob = startClient(['--bind', '127.0.0.3', '--server', '127.0.0.1', '--port', String(port), '--name', 'bob']);
    await bob.waitFor(/^Connected to /);
    bob.send('connect');
    await bob.waitFor('connected');
    await alice.waitFor('bob is connected');

    alice.send('hello');
    await alice.answer('Target name (blank for everyone): ', '');
    await bob.waitFor('alice (to all): hello');
    bob.send('psst | with a bar');
    await bob.answer('Target name (blank for everyone): ', 'alice');
    await alice.waitFor('bob (private): psst | with a bar');

    alice.send('get_users');
    await alice.waitFor(/^Online users: (alice, bob|bob, alice)$/);
    alice.send('get_list_file');
    await alice.waitFor(/^Files: (.+, )?q\.txt(, .+)?$/);

    alice.send('download');
    const asked = await alice.answer('File name: ', 'q.txt');
    await alice.waitFor('Downloading q.txt: 6 datagrams.', asked);
    await alice.answer(PAUSE_PROMPT, 'proceed', asked);
    await alice.waitFor('User alice downloaded 100% out of file. Last byte is: 10', asked);
    await alice.waitFor('Download complete: 6 datagrams, 0 resent, 0 ignored.', asked);
    await alice.waitFor('Last byte matches: 10.', asked);
    await alice.answer('Save as: ', 'copy.txt', asked);
    await alice.waitFor(
      new RegExp(`^Saved 12022 bytes as ${path.join(dir, 'copy.txt')} \\(sha256 [0-9a-f]{64}\\)\\.$`),
      asked,
    );
    expect((await readFile(path.join(dir, 'copy.txt'))).equals(await readFile(path.join(ROOT, 'files/q.txt')))).toBe(
      true,
    );
    expect(await readdir(dir)).toEqual(['copy.txt']);

    const before = alice.lines.length;
    alice.send('disconnect');
    await alice.waitFor('disconnected', before);
    await alice.waitFor('Disconnected.', before);
    await alice.waitFor('Your IP address (blank for any): ', before);
    await bob.waitFor('alice is disconnected');
    alice.endInput();
    expect(await alice.exited).toBe(0);
    expect(alice.lines.filter((l) => l.startsWith('server: '))).toEqual([]);
  });

  it('says the connection was lost when the server goes, asks for addresses again, and exits 0 at end of input', async () => {
    const port = await startServer();
    const client = startClient([
      '--bind',
      '127.0.0.2',
      '--server',
      '127.0.0.1',
      '--port',
      String(port),
      '--downloads',
      await downloadsDir(),
    ]);
    await client.waitFor(/^Connected to /);
    await drivers[0].kill();
    await client.waitFor('Connection to the server was lost.');
    await client.answer('Your IP address (blank for any): ', '127.0.0.2');
    await client.answer('Server IP address: ', '127.0.0.1');
    await client.answer('Server port (55000-55015): ', String(port));
    await client.waitFor(`Can't connect to 127.0.0.1:${port}: connection refused (ECONNREFUSED)`);
    await client.waitFor('Your IP address (blank for any): ', client.lines.length - 1);
    client.endInput();
    expect(await client.exited).toBe(0);
  });

  it('takes a whole script piped at once: typed-ahead answers go to the download questions', async () => {
    const port = await startServer();
    const dir = await downloadsDir();
    const client = startClient(['--downloads', dir]);
    client.send(
      [
        '127.0.0.3',
        '127.0.0.1',
        String(port),
        'connect',
        'dave',
        'download',
        'q.txt',
        'proceed',
        'piped.txt',
        'get_users',
      ].join('\n'),
    );
    client.endInput();
    expect(await client.exited).toBe(0);
    expect(client.lines).toContain('Online users: dave');
    expect((await readFile(path.join(dir, 'piped.txt'))).equals(await readFile(path.join(ROOT, 'files/q.txt')))).toBe(
      true,
    );
  });

  it('never crashes on what a server sends: unknown, unsolicited, overlong and binary lines', async () => {
    const sockets: net.Socket[] = [];
    const rogue = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.write(
        ['hello there', '|5', 'msg|only', 'users|', 'x'.repeat(70_000), '\u0000\u00ff\r', 'still here'].join('\n') +
          '\n',
      );
      setTimeout(() => socket.end(), 200);
    });
    await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve));
    try {
      const port = (rogue.address() as net.AddressInfo).port;
      const client = startClient(['--bind', '127.0.0.2', '--server', '127.0.0.1', '--port', String(port)]);
      const from = await client.waitFor('Connection to the server was lost.');
      expect(client.lines.slice(1, from)).toEqual([
        'server: hello there',
        'server: |5',
        'server: msg|only',
        'Online users: none',
        'server: \u0000\u00ff',
        'server: still here',
      ]);
      await client.waitFor('Your IP address (blank for any): ', from);
      client.endInput();
      expect(await client.exited).toBe(0);
      expect(client.stderr).toBe('');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => rogue.close(resolve));
    }
  });

  it('on Ctrl-C at the pause exits 130 and leaves no temp file', async () => {
    const port = await startServer();
    const dir = await downloadsDir();
    const client = startClient([
      '--bind',
      '127.0.0.3',
      '--server',
      '127.0.0.1',
      '--port',
      String(port),
      '--name',
      'carol',
      '--downloads',
      dir,
    ]);
    await client.waitFor(/^Connected to /);
    client.send('connect');
    await client.waitFor('connected');
    client.send('download');
    await client.answer('File name: ', 'q.txt');
    await client.waitFor(PAUSE_PROMPT);
    expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toHaveLength(1);
    client.signal('SIGINT');
    expect(await client.exited).toBe(130);
    expect(await readdir(dir)).toEqual([]);
  });
});

/** Downloads q.txt through a client with these extra flags from the server on `port`; returns its output. */
async function pipedDownload(port: number, extra: string[], saveAs: string, bind = '127.0.0.3') {
  const dir = await downloadsDir();
  const client = startClient(['--downloads', dir, ...extra]);
  client.send([bind, '127.0.0.1', String(port), 'connect', 'erin', 'download', 'q.txt', 'proceed', saveAs].join('\n'));
  client.endInput();
  expect(await client.exited).toBe(0);
  expect((await readFile(path.join(dir, saveAs))).equals(await readFile(path.join(ROOT, 'files/q.txt')))).toBe(true);
  return { lines: client.lines, dir };
}

/**
 * A server from before `blksize|`: the real server behind a relay that answers that line as such
 * a server does, and passes every other line both ways.
 */
async function serverWithoutBlksize(port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets: net.Socket[] = [];
  const relay = net.createServer((client) => {
    const server = net.connect(port, '127.0.0.1');
    sockets.push(client, server);
    for (const s of [client, server]) s.on('error', () => [client, server].forEach((x) => x.destroy()));
    server.pipe(client);
    let pending = '';
    client.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('blksize|')) client.write('error|unknown command: blksize\n');
        else server.write(`${line}\n`);
      }
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    port: (relay.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => relay.close(resolve));
    },
  };
}

describe('the block size of a download (blksize|)', () => {
  it('downloads in blocks of --block-size bytes once the server agrees', async () => {
    const port = await startServer();
    const { lines } = await pipedDownload(port, ['--block-size', '4096'], 'blocks.txt');
    // q.txt is 12,022 bytes: three blocks of 4096 instead of six of the seed's 2043.
    expect(lines).toContain('Downloading q.txt: 3 datagrams of 4096 bytes.');
    expect(lines).toContain('Download complete: 3 datagrams, 0 resent, 0 ignored.');
    expect(lines.filter((l) => /blksize|^server: /.test(l))).toEqual([]);
  });

  it("keeps the seed's block with a server that does not know the line, and says nothing of it", async () => {
    const old = await serverWithoutBlksize(await startServer());
    try {
      // From the relay's own address: the server sends the datagrams to the address it sees.
      const { lines } = await pipedDownload(old.port, ['--block-size', '4096'], 'seed-blocks.txt', '127.0.0.1');
      expect(lines).toContain('Downloading q.txt: 6 datagrams.');
      expect(lines.filter((l) => /blksize|^error|^server: /.test(l))).toEqual([]);
    } finally {
      await old.close();
    }
  });

  it("asks nothing on loopback by default, nor in seed mode: the seed's block", async () => {
    const port = await startServer();
    for (const flags of [[], ['--recovery', 'seed']]) {
      const { lines } = await pipedDownload(port, flags, 'default.txt');
      expect(lines).toContain('Downloading q.txt: 6 datagrams.');
    }
    expect(drivers[0].lines.filter((l) => l.includes('block-size'))).toEqual([]);
  });
});
