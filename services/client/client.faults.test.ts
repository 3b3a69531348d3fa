import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { ChildServer } from '../test-support/child-server.ts';
import { makeFilesFixture, type FilesFixture } from '../test-support/files-fixture.ts';
import { ProcessDriver } from './testing/process-driver.ts';

/**
 * Faults around the real client program, driven through stdin: the server dies under it,
 * the disk fills up under it. (Bad datagrams and unwritable save names are covered in
 * download-flow.test.ts; a server that goes while idle in client-process.e2e.test.ts.)
 */
let fixture: FilesFixture;
const running: { kill(): Promise<void> }[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  // 400 datagrams: N = 400, H = 200; about 800 KB, more than the small disk below holds.
  fixture = await makeFilesFixture('client-faults', { 'big.bin': Buffer.alloc(CHUNK_SIZE * 400, 0x42) });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.kill()));
});
afterAll(async () => {
  for (const d of dirs.splice(0)) {
    try {
      execFileSync('umount', [d], { stdio: 'ignore' });
    } catch {
      // Not a mount point.
    }
    await rm(d, { recursive: true, force: true });
  }
  await fixture?.remove();
});

async function downloadsDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'client-faults-'));
  dirs.push(dir);
  return dir;
}

/** A folder on a 64 KiB tmpfs: a disk that fills up. Null where mounting is not allowed (not root). */
async function fullDisk(): Promise<string | null> {
  const dir = await downloadsDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return null;
  }
}

async function emptiedWithin(dir: string, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  let names = await readdir(dir);
  while (names.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    names = await readdir(dir);
  }
  return names;
}

async function start(dir: string, address: string) {
  const server = await ChildServer.start(fixture.files, { portCount: 1 });
  running.push(server);
  const client = new ProcessDriver('services/client/main.ts', [
    '--bind',
    address,
    '--server',
    '127.0.0.1',
    '--port',
    String(server.ports[0]),
    '--name',
    'faulty',
    '--downloads',
    dir,
  ]);
  running.push(client);
  await client.waitFor(/^Connected to /);
  client.send('connect');
  await client.waitFor('connected');
  return { server, client };
}

describe('client faults', () => {
  it('the server killed at the pause: the client says so, asks for addresses again, and leaves no file', async () => {
    const dir = await downloadsDir();
    const { server, client } = await start(dir, '127.0.11.1');
    client.send('download');
    const asked = await client.answer('File name: ', 'big.bin');
    await client.waitFor(/^Download reached 50% \(200\/400 datagrams\)/, asked);
    await server.kill();
    await client.waitFor('Connection to the server was lost.', asked);
    await client.waitFor('Your IP address (blank for any): ', asked);
    expect(await emptiedWithin(dir, 2000)).toEqual([]);
    // Still alive and asking, not crashed.
    expect(client.lines.some((l) => /error|exception/i.test(l) && !l.includes("Can't"))).toBe(false);
  });

  it('a disk that fills up mid-download: a clear error, the temporary file removed, the session usable', async (ctx) => {
    const dir = await fullDisk();
    if (!dir) return ctx.skip();
    const { client } = await start(dir, '127.0.11.2');
    client.send('download');
    const asked = await client.answer('File name: ', 'big.bin');
    await client.answer(/^Download reached 50%/, 'proceed', asked);
    await client.waitFor(/^Download of big\.bin failed: .*(ENOSPC|no space)/i, asked);
    const before = client.lines.length;
    client.send('get_users');
    await client.waitFor(/^Online users: faulty$/, before);
    // The clean-up may finish just after the next answer; it must not take long.
    expect(await emptiedWithin(dir, 2000)).toEqual([]);
  });
});
