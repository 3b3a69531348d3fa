import { datagramCount } from '../services/protocol/datagram.ts';
import { expectThat } from '../lab/scenario/expect-that.ts';
import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'two-mb.bin';
const SIZE = 2_000_000; // 979 datagrams
const LINK = '20mbit';
/** One seq in each half of the file whose first resend is lost too. */
const LOST_TWICE = [100, 600];

/**
 * The same 20 Mbit/s link with the same 5 % of datagrams lost (one seeded plan for both), and
 * in each half of the file one datagram whose first resend is lost as well, as happens on a
 * lossy link. One file downloaded twice: first by a client running the seed's recovery, which
 * notices a loss only after 100 ms of silence and waits 200 ms for the lost resend, then by one
 * at the default, which asks for a loss as soon as later datagrams show it, asks again within a
 * few ms, and tells the server how the path keeps up. The server is given the link's rate as
 * its fixed rate, the seed's best case; at the default ceiling the seed's download would drown
 * its own datagrams (npm run bench:path). The report shows both timelines one above the other.
 */
export default scenario({
  name: 'seed-vs-adaptive',
  title:
    "A 20 Mbit/s link with 5 % loss and a lost resend in each half, the same 2 MB file with the seed's recovery and with the default: the default is far faster",
  clients: { seed: { recovery: 'seed' }, adaptive: {} },
  files: { [FILE]: SIZE },
  server: { rate: 20 },
  // A race against the clock: other scenarios on the same two cores would change who wins.
  alone: true,
  impair(router, { seed }) {
    for (const client of ['seed', 'adaptive']) {
      router.withRate({ client, rate: LINK, queuePackets: 64 });
      router.withSeededLoss({ client, percent: 5, seed, datagrams: datagramCount(SIZE), fileSize: SIZE });
      for (const seq of LOST_TWICE) router.withDrop({ client, seq, times: 2, fileSize: SIZE });
    }
  },
  async run({ clients: { seed, adaptive }, captured, note }) {
    await seed.connect();
    await adaptive.connect();
    const seedCopy = await seed.download(FILE, { saveAs: 'seed-copy.bin' });
    const adaptiveCopy = await adaptive.download(FILE, { saveAs: 'adaptive-copy.bin' });

    const wire = await captured();
    const slow = wire.download(seed, FILE).completed().sawDrops(10).everyDropResent().noResendWithoutRequest();
    const fast = wire.download(adaptive, FILE).completed().sawDrops(10).everyDropResent().noResendWithoutRequest();
    slow.nothingPastPauseBeforeProceed();
    fast.nothingPastPauseBeforeProceed();
    note(`seed's recovery: ${slow.seconds.toFixed(2)} s; default: ${fast.seconds.toFixed(2)} s`);
    // A generous margin: the seed's two silent waits per half alone take 0.6 s, about two thirds of
    // the default's whole download.
    expectThat(
      'adaptiveFaster',
      fast.seconds * 1.3 < slow.seconds,
      `the default took ${fast.seconds.toFixed(2)} s, the seed's recovery ${slow.seconds.toFixed(2)} s: expected the default to be at least 1.3 times faster`,
    );
    await wire.sameContent(seedCopy, FILE);
    await wire.sameContent(adaptiveCopy, FILE);
  },
});
