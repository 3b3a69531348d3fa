import { expectThat } from '../lab/scenario/expect-that.ts';
import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'two-mb.bin';
const OUTAGE_SECONDS = 4;

/**
 * Alice's 2 MB download has just gone on past its pause when the router between the networks
 * stops forwarding anything, both ways, for four seconds; bob says something meanwhile. Then the
 * network heals. Nothing was ever given up: the client's resend requests and bob's message wait
 * in TCP, the lost datagrams are asked for again, the download completes intact, and the chat
 * works as before. The timeline shows the partition, the gap, and the recovery.
 */
export default scenario({
  name: 'partition-and-heal',
  title: `The router drops everything both ways for ${OUTAGE_SECONDS} s mid-download, then heals: the download completes intact, the chat goes on`,
  clients: { alice: {}, bob: {} },
  files: { [FILE]: 2_000_000 },
  // Slow enough that the second half is still being sent when the partition begins.
  server: { rate: 8 },
  async run({ router, clients: { alice, bob }, captured }) {
    await alice.connect();
    await bob.connect();
    const download = await alice.startDownload(FILE);
    await download.reachesPause();
    // The router is told first and strikes on the download's next datagram: on a busy machine a
    // command can take longer to reach it than the rest of the download lasts (docs/LAB.md).
    const partition = await router.partitionOnNextDatagram();
    download.proceed();
    await partition.begun;
    await bob.say('is anyone there?');
    const outage = await router.heal({ afterSeconds: OUTAGE_SECONDS });

    const copy = await download.save('two-mb-copy.bin');
    await alice.saw('bob (to all): is anyone there?');
    await alice.say('back again');
    await bob.sees('alice (to all): back again');

    expectThat('partitionDropped', outage.dropped > 0, 'the partition dropped no packet at all');
    const wire = await captured();
    wire
      .download(alice, FILE)
      .completed()
      .sawOutage(OUTAGE_SECONDS - 1)
      .everyDropResent()
      .noResendWithoutRequest()
      .nothingPastPauseBeforeProceed();
    await wire.sameContent(copy, FILE);
  },
});
