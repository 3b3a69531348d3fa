import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { serverLine } from '../protocol/server-messages.ts';
import { ChildServer } from '../test-support/child-server.ts';
import { makeFilesFixture, type FilesFixture } from '../test-support/files-fixture.ts';
import { LineClient, sleep } from '../test-support/line-client.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';
import { DEFAULT_MAX_PER_ADDRESS, MAX_CLIENTS_PER_PORT } from './chat-server.ts';
import { CLOSE_GRACE_MS } from './close-with-line.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Each test starts its own server with the defences it is about, over real loopback sockets.
let fixture: FilesFixture | undefined;
let server: TestServer | undefined;
const open: { destroy(): void }[] = [];

async function start(opts: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
  fixture = await makeFilesFixture('connection-defences');
  server = await startTestServer(fixture.files, opts);
  return server;
}

afterEach(async () => {
  for (const s of open.splice(0)) s.destroy();
  await server?.started.close();
  await fixture?.remove();
  server = fixture = undefined;
});

async function client(from: string, port = server!.ports[0]): Promise<LineClient> {
  const c = await LineClient.connect(port, from);
  open.push(c.socket);
  return c;
}

/** A peer that never closes its side, whatever the server says: as a hostile host holds a place. */
async function stubbornPeer(from: string, port = server!.ports[0]): Promise<net.Socket> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: from, allowHalfOpen: true });
  socket.on('error', () => {});
  open.push(socket);
  await once(socket, 'connect');
  return socket;
}

const served = async (c: LineClient) => expect(await c.ask('get_users')).toMatch(/^users/);

describe('at most --max-per-address connections from one address', () => {
  it(`serves ${DEFAULT_MAX_PER_ADDRESS} from one address over all ports, tells the next one the exact line and closes it`, async () => {
    const { ports, events } = await start();
    const mine = [];
    for (let i = 0; i < DEFAULT_MAX_PER_ADDRESS; i++) mine.push(await client('127.0.21.1', ports[i % 2]));
    for (const c of mine) await served(c);

    const extra = await client('127.0.21.1', ports[1]);
    await extra.waitFor("can't connect. Too many connections from 127.0.21.1 (at most 8). Try again later");
    await extra.waitClosed();
    expect(extra.lines).toEqual([serverLine.tooManyFromAddress('127.0.21.1', 8)]);
    expect(events.filter((e) => e.includes(' refused '))).toEqual([
      expect.stringContaining('127.0.21.1 already holds 8 connections (--max-per-address)'),
    ]);

    // Others are not affected, and a place given back can be taken again.
    const other = await client('127.0.21.2', ports[1]);
    expect(await other.ask('connect|other')).toBe('connected');
    mine[0].close();
    await eventually(async () => {
      const again = await client('127.0.21.1', ports[0]);
      await served(again);
    });
  });

  it('counts no refused connection, even one whose peer never closes, so the port stays open to others', async () => {
    const { ports, started } = await start({ maxPerAddress: 2 });
    const admitted = [await stubbornPeer('127.0.22.1'), await stubbornPeer('127.0.22.1')];
    const refused = await Promise.all(Array.from({ length: 30 }, () => stubbornPeer('127.0.22.1')));
    expect(admitted).toHaveLength(2);
    expect(refused).toHaveLength(30);
    await eventually(() => expect(started.stats().connections).toBe(2));

    const others = [];
    for (let i = 1; i <= MAX_CLIENTS_PER_PORT - 2; i++) others.push(await client(`127.0.23.${i}`, ports[0]));
    for (const c of others) await served(c);
    const sixteenth = await client('127.0.23.200', ports[0]);
    await sixteenth.waitFor(serverLine.portFull(ports[0]));
  });

  it('logs a flood of refusals as one line and one summary, not one line each', async () => {
    const { events } = await start({ maxPerAddress: 1 });
    await stubbornPeer('127.0.24.1');
    await Promise.all(Array.from({ length: 50 }, () => stubbornPeer('127.0.24.1')));
    await sleep(1200);
    const refusals = events.filter((e) => e.includes(' refused '));
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toContain('127.0.24.1 already holds 1 connections (--max-per-address)');
    expect(refusals[1]).toMatch(/49 more \(127\.0\.24\.1 over its limit\) within 1000 ms/);
  });

  it('takes any number from one address with --max-per-address 0', async () => {
    const { ports } = await start({ maxPerAddress: 0 });
    const many = [];
    for (let i = 0; i < 2 * MAX_CLIENTS_PER_PORT; i++) many.push(await client('127.0.25.1', ports[i % 2]));
    for (const c of many) await served(c);
  });
});

describe('--idle-before-connect: a connection that says nothing and takes no name is closed', () => {
  it('tells a silent connection the exact line after the idle time, closes it, and logs it', async () => {
    const { events } = await start({ idleBeforeConnectMs: 300 });
    const started = performance.now();
    const silent = await client('127.0.26.1');
    await silent.waitFor("can't connect. Idle for 0.3 s without connect. Connection closed", 3000);
    await silent.waitClosed();
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(events.some((e) => e.includes('idle-timeout no name taken and no line for 0.3 s; closing'))).toBe(true);
  });

  it('never closes a connection that took a name, however long it stays silent', async () => {
    await start({ idleBeforeConnectMs: 300 });
    const alice = await client('127.0.26.2');
    expect(await alice.ask('connect|alice')).toBe('connected');
    await sleep(1000);
    await served(alice);
  });

  it('keeps a connection that sends a line now and then without a name; bytes without a newline do not count', async () => {
    await start({ idleBeforeConnectMs: 300 });
    const monitor = await client('127.0.26.3');
    const trickle = await client('127.0.26.4');
    for (let i = 0; i < 10; i++) {
      monitor.send('get_users');
      if (!trickle.closed) trickle.socket.write('x');
      await sleep(100);
    }
    expect(monitor.closed).toBe(false);
    await served(monitor);
    expect(trickle.closed).toBe(true);
    expect(trickle.lines).toEqual([serverLine.idleBeforeConnect(0.3)]);
  });

  it('gives the place of an idle connection back even when its peer never closes', async () => {
    const { started } = await start({ idleBeforeConnectMs: 200, maxPerAddress: 1 });
    await stubbornPeer('127.0.26.5');
    const refused = await client('127.0.26.5');
    await refused.waitFor(serverLine.tooManyFromAddress('127.0.26.5', 1));
    await sleep(200 + CLOSE_GRACE_MS + 200);
    expect(started.stats().connections).toBe(0);
    await served(await client('127.0.26.5'));
  });

  it('keeps silent connections open with --idle-before-connect 0', async () => {
    await start({ idleBeforeConnectMs: 0 });
    const silent = await client('127.0.26.6');
    await sleep(1000);
    expect(silent.closed).toBe(false);
    await served(silent);
  });
});

async function eventually(check: () => unknown, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return void (await check());
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

describe('the server program', () => {
  it('takes both defences as flags, says them at start, and logs when they act', async () => {
    fixture = await makeFilesFixture('connection-defences-program');
    const program = await ChildServer.start(fixture.files, {
      args: ['--max-per-address', '1', '--idle-before-connect', '0.5'],
    });
    try {
      expect(program.events(' listening ')[0]).toMatch(
        /at most 1 connections per address \(0: no limit\), idle before connect 0\.5 s/,
      );
      const first = await client('127.0.27.1', program.ports[0]);
      const second = await client('127.0.27.1', program.ports[0]);
      await second.waitFor(serverLine.tooManyFromAddress('127.0.27.1', 1));
      await first.waitFor(serverLine.idleBeforeConnect(0.5));
      await first.waitClosed();
      await eventually(() => {
        expect(program.events(' refused ')).toEqual([
          expect.stringMatching(/127\.0\.27\.1:\d+ refused 127\.0\.27\.1 already holds 1 connections/),
        ]);
        expect(program.events(' idle-timeout ')).toHaveLength(1);
      });
    } finally {
      await program.stop();
    }
  });

  it.each([
    ['--max-per-address', '-1'],
    ['--max-per-address', 'many'],
    ['--idle-before-connect', 'soon'],
  ])('refuses %s %s with a message', async (flag, value) => {
    const { stderr, status } = spawnSync('npx', ['tsx', 'services/server/main.ts', flag, value], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(status).not.toBe(0);
    expect(stderr).toMatch(new RegExp(`option '${flag} <\\w+>' argument '${value}' is invalid`));
  });
});
