import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'one-mb.bin';

/**
 * The link to alice is far slower than the server sends: the router's queue overflows
 * and drops datagrams, as a real bottleneck does. Nothing was planned datagram by
 * datagram here; the protocol still has to notice every loss and recover from it.
 * Alice's client runs the seed's recovery, so the server keeps its fixed rate: with the
 * default (adaptive) recovery the server would find the link's rate and nothing would
 * overflow (see seed-vs-adaptive).
 *
 * Four times the link's rate, and a short queue: a half of the file (245 datagrams) overflows it
 * as long as the server really sends faster than 12.5 Mbit/s. With three scenarios on two cores a
 * server set to 40 was seen sending at 16.6, which a 20 Mbit/s link with 64 packets of queue took
 * without a drop.
 */
export default scenario({
  name: 'slow-link',
  title:
    "A 10 Mbit/s bottleneck with a 48-packet queue to alice, the server at a fixed 40 (the seed's recovery): overflow drops are all resent, the file is intact",
  clients: { alice: { recovery: 'seed' } },
  files: { [FILE]: 1_000_000 },
  server: { rate: 40 },
  impair(router) {
    router.withRate({ client: 'alice', rate: '10mbit', queuePackets: 48 });
  },
  async run({ clients: { alice }, captured }) {
    await alice.connect();
    const copy = await alice.download(FILE, { saveAs: 'one-mb-copy.bin' });

    const wire = await captured();
    wire
      .download(alice, FILE)
      .completed()
      .sawDrops(1)
      .everyDropResent()
      .noResendWithoutRequest()
      .nothingPastPauseBeforeProceed();
    await wire.sameContent(copy, FILE);
  },
});
