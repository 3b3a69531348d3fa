import { readdir } from 'node:fs/promises';
import { expectThat } from '../lab/scenario/expect-that.ts';
import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'big.bin';

/**
 * The server's host dies (its container is killed) while alice waits at the pause of a
 * download and bob is chatting. Both clients say so and go back to asking for the
 * addresses; neither crashes, and no half-downloaded file is left behind.
 */
export default scenario({
  name: 'server-killed',
  title: 'The server host is killed mid-session: each client says so, asks for addresses again, nothing crashes',
  clients: { alice: {}, bob: { port: 55003 } },
  files: { [FILE]: 1_000_000 },
  async run({ server, clients: { alice, bob }, captured, note }) {
    await alice.connect();
    await bob.connect();
    alice.type('download');
    await alice.sees(/^File name: ?$/);
    alice.type(FILE);
    await alice.sees(/^Download reached/, 30_000);

    note('killing the server container');
    await server.kill();
    for (const client of [alice, bob]) {
      await client.sees('Connection to the server was lost.');
      await client.sees(/^Your IP address \(blank for any\): ?$/);
    }

    // Programs end with exit code 0 when their input ends: captured() checks that.
    await captured();
    const left = await readdir(alice.downloadsDir);
    expectThat('noFileLeft', left.length === 0, `files left in alice's downloads folder: ${left.join(', ')}`);
  },
});
