import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeLine, LineDecoder } from '../protocol/line-codec.ts';
import type { ServerMessage } from '../protocol/server-messages.ts';
import { ControlConnection } from './control-connection.ts';
import { FIRST_NUDGE_MS } from './reply-nudger.ts';
import { isType, waitForServer } from './server-wait.ts';

/** A server that answers `get_users` at once and `stop` only after `stopAfterMs`, recording every line. */
async function slowServer(stopAfterMs: number) {
  const lines: string[] = [];
  const server = net.createServer((socket) => {
    const decoder = new LineDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind !== 'line') continue;
        lines.push(event.text);
        if (event.text === 'get_users') socket.write(encodeLine('users|alice'));
        if (event.text === 'stop')
          setTimeout(
            () => socket.write(encodeLine('User alice downloaded 100% out of file. Last byte is: 7')),
            stopAfterMs,
          );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { lines, port, close: () => new Promise((resolve) => server.close(resolve)) };
}

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function connectTo(port: number, nudges?: boolean) {
  const server = { host: '127.0.0.1', port };
  const connection = await ControlConnection.connect(server, nudges === undefined ? {} : { nudges });
  open.push(connection);
  const seen: ServerMessage[] = [];
  connection.onMessage((m) => seen.push(m));
  return { connection, seen };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('nudging an overdue answer', () => {
  it('asks get_users while the answer is overdue, shows none of those answers, and stops once it came', async () => {
    const server = await slowServer(4 * FIRST_NUDGE_MS);
    open.push(server);
    const { connection, seen } = await connectTo(server.port);
    connection.send({ type: 'stop' });
    const done = await waitForServer(connection, isType('download_done'), 5_000);
    expect(done?.type).toBe('download_done');
    const nudges = server.lines.filter((l) => l === 'get_users').length;
    expect(nudges).toBeGreaterThanOrEqual(1);
    await sleep(10 * FIRST_NUDGE_MS);
    expect(server.lines.filter((l) => l === 'get_users')).toHaveLength(nudges);
    expect(seen.filter((m) => m.type === 'users')).toEqual([]);
  });

  it("still shows the answer to the user's own get_users", async () => {
    const server = await slowServer(4 * FIRST_NUDGE_MS);
    open.push(server);
    const { connection, seen } = await connectTo(server.port);
    connection.send({ type: 'stop' });
    const done = waitForServer(connection, isType('download_done'), 5_000);
    await sleep(2 * FIRST_NUDGE_MS);
    connection.send({ type: 'get_users' });
    await done;
    await sleep(4 * FIRST_NUDGE_MS);
    expect(seen.filter((m) => m.type === 'users')).toHaveLength(1);
  });

  it('asks nothing when nudges are off (the seed client)', async () => {
    const server = await slowServer(4 * FIRST_NUDGE_MS);
    open.push(server);
    const { connection } = await connectTo(server.port, false);
    connection.send({ type: 'stop' });
    expect(await waitForServer(connection, isType('download_done'), 5_000)).not.toBeNull();
    expect(server.lines).toEqual(['stop']);
  });
});
