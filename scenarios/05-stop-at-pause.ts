import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'twenty.bin';

/** The user answers "no" at the pause: the download ends, nothing past the pause ever leaves the server. */
export default scenario({
  name: 'stop-at-pause',
  title: 'Stop at the pause: "download stopped", no datagram past the pause is sent, nothing is saved',
  clients: { alice: {} },
  files: { [FILE]: 20 * 2043 },
  async run({ server, clients: { alice }, captured }) {
    await alice.connect();
    const saved = await alice.download(FILE, { atPause: 'no thanks' });
    if (saved !== null) throw new Error('a stopped download was saved');
    // The session goes on after a stopped download.
    alice.type('get_users');
    await alice.sees('Online users: alice');

    const wire = await captured();
    wire.lineSent(alice, server, 'stop');
    wire.lineSent(server, alice, 'download stopped');
    wire.download(alice, FILE).stopped().nothingPastPauseBeforeProceed();
  },
});
