import { expectThat } from '../lab/scenario/expect-that.ts';
import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'report.bin';
const SIZE = 4_000_000; // N = 1958 datagrams, the pause after H = 979
// Three from the middle of the second part, three from its very end: the attacker reacts to
// proceed within some 100 ms, and the server needs longer than that to reach these seqs, so the
// forged copies get there first (the real ones arrive later, as duplicates with other bytes).
const FORGED = [1200, 1201, 1202, 1955, 1956, 1957];

/**
 * An attacker on alice's network, where every host hears every frame, overhears her download:
 * the `udp|<port>` line gives her port, the first datagram the server's source port. The moment
 * alice types `proceed`, it sends six datagrams of its own with the server's address and port and
 * the right lengths, but wrong bytes, racing the server's real ones. The client checks the whole
 * file against the server's `checksum|sha256|…` before it calls the download complete, finds the
 * seqs that arrived twice with different bytes, fetches exactly those again and saves the file intact.
 */
export default scenario({
  name: 'spoofed-datagrams',
  title:
    "An attacker on alice's network injects wrong bytes for 6 seqs with the server's address and port, racing the server: the client finds them, fetches them again, saves the file intact",
  clients: { alice: {} },
  attacker: { on: 'clients', sharedMedium: true },
  files: { [FILE]: SIZE },
  async run({ attacker, clients: { alice }, captured }) {
    await alice.connect();
    await attacker.eavesdropOn(alice);
    await attacker.injectAfterProceed(FILE, FORGED);

    const download = await alice.startDownload(FILE);
    await download.reachesPause();
    download.proceed();
    await attacker.learnt();
    await attacker.injected();
    const copy = await download.save('report-copy.bin');

    const wire = await captured();
    await wire.sawForgedDatagrams(alice, FILE, FORGED.length);
    // The copy first: a client that takes forged bytes (--no-verify) may also hold the last seqs
    // before the server sent them, and end the download with `stop`; what it saved is the harm.
    await wire.sameContent(copy, FILE);
    wire.download(alice, FILE).completed().noResendWithoutRequest().nothingPastPauseBeforeProceed();
    // The client names what it fetches again: every forged seq, and any other whose duplicate it
    // had no room to compare (those it counts as suspects too); it lists the first 12 in order.
    const mismatch = /^Checksum mismatch: .*; (\d+) seqs \(([\d, ]+)(?:, …)?\) arrived twice with different bytes/;
    const [, count, list] = mismatch.exec(await alice.saw(mismatch))!;
    const shown = list.split(', ').map(Number);
    const missed = FORGED.filter(
      (seq) => !shown.includes(seq) && !(Number(count) > shown.length && seq > shown.at(-1)!),
    );
    expectThat(
      'forgedFetchedAgain',
      missed.length === 0,
      `forged seqs not named as fetched again: ${missed.join(', ')}`,
    );
    await alice.saw(/^Verified after fetching \d+ datagrams again: sha256 [0-9a-f]{64} matches the server's\.$/);
  },
});
