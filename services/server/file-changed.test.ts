import { chmod, mkdtemp, rename, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { ChildServer } from '../test-support/child-server.ts';
import { LineClient } from '../test-support/line-client.ts';
import { useServerFixture } from '../test-support/server-fixture.ts';
import { UdpTestReceiver } from '../test-support/udp-test-receiver.ts';

/** A file truncated, removed or replaced on the server while a client downloads it. */
const env = useServerFixture('file-changed');
const TEN = Buffer.alloc(CHUNK_SIZE * 10, 5); // N = 10, H = 5
let n = 0;

async function pausedOn(data: Buffer) {
  const name = `f${++n}.bin`;
  const file = path.join(env.fixture.files, name);
  await writeFile(file, data);
  const address = `127.0.10.${n}`;
  const c = env.track(await LineClient.connect(env.server.ports[0], address));
  const udp = env.track(await UdpTestReceiver.open(address));
  expect(await c.ask(`connect|reader${n}`)).toBe('connected');
  expect(await c.ask(`download|${name}`)).toBe('|10');
  c.send(`udp|${udp.port}`);
  await udp.settle(5);
  return { c, udp, file, name };
}

const NOBODY = { uid: 65534, gid: 65534 };
// `nobody` must be able to reach the repository (a checkout under /root, say, is closed to it).
const asNobody =
  process.getuid?.() !== 0
    ? 'no'
    : spawnSync(
          process.execPath,
          ['-e', `require('fs').accessSync(${JSON.stringify(fileURLToPath(new URL('main.ts', import.meta.url)))})`],
          NOBODY,
        ).status === 0
      ? 'yes'
      : 'unreachable';

const CHANGED = "Can't download. The file changed while it was being sent";

describe('a file that changes while it is being sent', () => {
  it('truncated at the pause: proceed ends the download with a clear line, and the session goes on', async () => {
    const { c, file } = await pausedOn(TEN);
    await truncate(file, CHUNK_SIZE * 2);
    expect(await c.ask('proceed')).toBe(CHANGED);
    expect(await c.ask('stop')).toBe('error|no download is running');
    expect(await c.ask('download|q.txt')).toBe('|1');
  });

  it('truncated at the pause: a resend of a seq now past the end fails the same way', async () => {
    const { c, file } = await pausedOn(TEN);
    await truncate(file, CHUNK_SIZE);
    expect(await c.ask('resend|3')).toBe(CHANGED);
  });

  it('truncated after the last datagram: stop cannot read the last byte and says so', async () => {
    const { c, udp, file } = await pausedOn(TEN);
    c.send('proceed');
    await udp.settle(10);
    await truncate(file, 0);
    expect(await c.ask('stop')).toBe(CHANGED);
  });

  it('removed, or replaced by another file, at the pause: the open file is sent whole', async () => {
    for (const change of [
      (f: string) => unlink(f),
      (f: string) => writeFile(`${f}.new`, 'other').then(() => rename(`${f}.new`, f)),
    ]) {
      const { c, udp, file, name } = await pausedOn(TEN);
      await change(file);
      c.send('proceed');
      await udp.settle(10);
      expect(await c.ask('stop')).toMatch(/^User reader\d+ downloaded 100% out of file\. Last byte is: 5$/);
      expect(udp.assemble(10).equals(TEN)).toBe(true);
      expect(await c.ask(`download|${name}`)).toMatch(/^(\|1|Can't download\. File not found)$/);
    }
  });

  // Root reads any file whatever its mode: as root, the server program runs as `nobody` for this one.
  it.skipIf(asNobody === 'unreachable')(
    'unreadable before the download: a clear line, the session goes on',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'locked-files-'));
      try {
        await chmod(dir, 0o755);
        await writeFile(path.join(dir, 'locked.bin'), TEN, { mode: 0 });
        await writeFile(path.join(dir, 'open.txt'), 'readable\n', { mode: 0o644 });
        const user = asNobody === 'yes' ? NOBODY : undefined;
        const server = await ChildServer.start(dir, { user });
        try {
          const c = env.track(await LineClient.connect(server.ports[0], '127.0.10.200'));
          expect(await c.ask('connect|locked')).toBe('connected');
          expect(await c.ask('download|locked.bin')).toBe("Can't download. The file can't be read (EACCES)");
          expect(await c.ask('download|open.txt')).toBe('|1');
        } finally {
          await server.stop();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
