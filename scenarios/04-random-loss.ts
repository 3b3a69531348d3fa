import { datagramCount } from '../services/protocol/datagram.ts';
import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'big.bin';
const SIZE = 2_500_000; // 1224 datagrams

/**
 * Seeded random loss on the way to each client: 10% for alice, 30% for bob, both
 * downloading the same 2.5 MB file at once. The drops are drawn from the run's seed,
 * so `--seed` replays the very same losses.
 */
export default scenario({
  name: 'random-loss',
  title: 'Seeded random loss, 10% to alice and 30% to bob, on a 2.5 MB file: both copies intact, every drop resent',
  clients: { alice: {}, bob: {} },
  files: { [FILE]: SIZE },
  impair(router, { seed }) {
    const datagrams = datagramCount(SIZE);
    router.withSeededLoss({ client: 'alice', percent: 10, seed, datagrams, fileSize: SIZE });
    router.withSeededLoss({ client: 'bob', percent: 30, seed: seed + 1, datagrams, fileSize: SIZE });
  },
  async run({ clients: { alice, bob }, captured }) {
    await alice.connect();
    await bob.connect();
    const [aliceCopy, bobCopy] = await Promise.all([
      alice.download(FILE, { saveAs: 'big-copy.bin' }),
      bob.download(FILE, { saveAs: 'big-copy.bin' }),
    ]);

    const wire = await captured();
    for (const client of [alice, bob]) {
      wire
        .download(client, FILE)
        .completed()
        .sawDrops(50)
        .everyDropResent()
        .noResendWithoutRequest()
        .nothingPastPauseBeforeProceed();
    }
    await wire.sameContent(aliceCopy, FILE);
    await wire.sameContent(bobCopy, FILE);
  },
});
