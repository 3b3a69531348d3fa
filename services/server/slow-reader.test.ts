import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineClient, sleep } from '../test-support/line-client.ts';
import { useServerFixture } from '../test-support/server-fixture.ts';
import { MAX_PENDING_LINES, MAX_SEND_QUEUE_BYTES } from './client-connection.ts';

// A plain folder with one file: get_list_file stays cheap, yet still waits on the disk.
const env = useServerFixture('slow-reader', {}, async (f) => {
  for (const n of ['alias.txt', 'leak.txt', 'chain.txt', 'outdir', 'sub'])
    await rm(path.join(f.files, n), { recursive: true });
});

async function connected(name: string, address: string): Promise<LineClient> {
  const c = env.track(await LineClient.connect(env.server.ports[0], address));
  expect(await c.ask(`connect|${name}`)).toBe('connected');
  return c;
}

describe('a client that does not read', () => {
  it('is disconnected with a log line once its send queue passes the cap; everyone else keeps chatting', async () => {
    const alice = await connected('alice', '127.0.7.1');
    const bob = await connected('bob', '127.0.7.2');
    const stuck = await connected('stuck', '127.0.7.3');
    stuck.socket.pause(); // its receive window fills, then the server's send buffer, then its queue

    // 18 MB of broadcasts: more than the kernel's buffers on both ends can absorb. Alice
    // waits for bob to keep up, so only the client that does not read falls behind.
    const text = 'x'.repeat(60_000);
    const messages = 300;
    let highest = 0;
    for (let i = 0; i < messages; i++) {
      alice.send(`msg_all|${i} ${text}`);
      if (i % 8 === 7) {
        await bob.waitFor((l) => l.startsWith(`msg_all|alice|${i} `), 5000, Math.max(0, bob.lines.length - 8));
        highest = Math.max(highest, env.server.started.stats().queuedOutputBytes);
      }
    }
    await bob.waitFor('stuck is disconnected', 10_000);
    expect(
      env.server.events.some((e) => /127\.0\.7\.3:\d+ send-queue-overflow \d+ bytes queued; disconnecting/.test(e)),
    ).toBe(true);
    // The queue never held much more than the cap: one line at most beyond it.
    expect(highest).toBeLessThanOrEqual(MAX_SEND_QUEUE_BYTES + 64 * 1024);

    await bob.waitFor((l) => l.startsWith(`msg_all|alice|${messages - 1} `), 10_000);
    expect(bob.lines.filter((l) => l.startsWith('msg_all|alice|'))).toHaveLength(messages);
    bob.send('msg|still here|alice');
    await alice.waitFor('msg|bob|still here');
    expect(await alice.ask('get_users')).toBe('users|alice|bob');
  });

  it(`stops reading a client that sends faster than it is answered, holding at most ${MAX_PENDING_LINES} lines and one read`, async () => {
    const c = env.track(await LineClient.connect(env.server.ports[0], '127.0.7.4'));
    const lines = 12_000;
    c.socket.write('get_list_file\n'.repeat(lines));
    let highest = 0;
    while (c.lines.length < lines) {
      highest = Math.max(highest, env.server.started.stats().pendingLines);
      await sleep(2);
      if (c.closed) throw new Error('closed');
    }
    expect(c.lines.every((l) => l === 'files|q.txt')).toBe(true);
    // One socket read holds at most 64 KiB: that many lines may arrive past the cap at once.
    expect(highest).toBeLessThanOrEqual(MAX_PENDING_LINES + Math.ceil(65_536 / 'get_list_file\n'.length));
    expect(await c.ask('get_users')).toBe('users');
  });
});
