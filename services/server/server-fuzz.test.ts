import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServerLine } from '../protocol/server-messages.ts';
import { LineClient } from '../test-support/line-client.ts';
import { useServerFixture } from '../test-support/server-fixture.ts';

/**
 * Bytes of any kind, cut at any points into separate TCP writes, against a real server:
 * every answer is a line the protocol knows, and the connection still answers afterwards.
 * (The codec and parser alone are covered by the properties in services/protocol.)
 */
const env = useServerFixture('fuzz');

// Pieces of real commands make the generator reach the parser's branches, not only its error path.
const FRAGMENTS = [
  'connect|fz',
  'get_users',
  'get_list_file',
  'msg_all|hi',
  'msg|a|b|fz',
  'download|q.txt',
  'download|../secret.txt',
  'udp|9',
  'udp|',
  'resend|0|1',
  'resend|',
  'proceed',
  'stop',
  '|',
  '\n',
  '\r',
  '\r\n',
  '\u0000',
  'é',
  '\u{1F600}',
].map((f) => Buffer.from(f));
const INVALID_UTF8 = [Buffer.from([0xff]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe2, 0x82]), Buffer.from([0x80])];

const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...FRAGMENTS, ...INVALID_UTF8),
        fc.uint8Array({ maxLength: 6 }).map((a) => Buffer.from(a)),
      ),
      { maxLength: 40 },
    )
    .map((parts) => Buffer.concat(parts)),
);

/** The lines the server will see, as it splits them, to know how many answers to expect. */
function linesOf(bytes: Buffer): string[] {
  return bytes
    .toString('latin1')
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

let run = 0;

describe('any bytes, split anywhere, to a real server', () => {
  it('get answers the protocol knows, never a stuck connection', async () => {
    await fc.assert(
      fc.asyncProperty(garbage, fc.array(fc.nat(), { maxLength: 8 }), async (bytes, cuts) => {
        const c = await LineClient.connect(env.server.ports[run % 2], `127.0.8.${(run++ % 250) + 1}`);
        try {
          c.socket.setNoDelay(true);
          const points = [...new Set(cuts.map((n) => (bytes.length === 0 ? 0 : n % bytes.length)))].sort(
            (a, b) => a - b,
          );
          let from = 0;
          for (const to of [...points, bytes.length]) {
            c.socket.write(bytes.subarray(from, to));
            from = to;
            await new Promise((resolve) => setImmediate(resolve));
          }
          c.socket.write('\nget_users\n');
          const lines = linesOf(Buffer.concat([bytes, Buffer.from('\n')]));
          if (lines.includes('disconnect')) {
            await c.waitFor('disconnected');
            return;
          }
          const usersWanted = lines.filter((l) => l === 'get_users').length + 1;
          const users = () => c.lines.filter((l) => l.startsWith('users')).length;
          await c.waitFor(() => users() >= usersWanted);
          for (const line of c.lines) expect(parseServerLine(line).type, line).not.toBe('unknown');
        } finally {
          c.close();
        }
      }),
      { numRuns: 300 },
    );
    expect(env.server.events.filter((e) => e.includes('internal-error'))).toEqual([]);
  });
});
