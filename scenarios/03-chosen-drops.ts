import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'twenty.bin';
const SIZE = 20 * 2043; // N = 20 datagrams, the pause after H = 10
const DROPPED = [3, 7, 12, 18]; // two in each half

/**
 * The router drops the first transmission of four chosen datagrams, two before the
 * pause and two after. The client must notice each gap, ask for exactly those seqs,
 * and the server must resend each exactly once.
 */
export default scenario({
  name: 'chosen-drops',
  title: 'Drops of seqs 3, 7 (first half) and 12, 18 (second half): exactly those are requested and resent, once each',
  clients: { alice: {} },
  files: { [FILE]: SIZE },
  // Exactly once is a race against the clock: the client asks again for a resend that has not
  // come within its retry time (15 ms after a quick first resend), and with two other scenarios
  // on the same two cores the server was once that late (seq 7 asked for 4 times, resent once).
  alone: true,
  impair(router) {
    for (const seq of DROPPED) router.withDrop({ client: 'alice', seq, times: 1, fileSize: SIZE });
  },
  async run({ clients: { alice }, captured }) {
    await alice.connect();
    const copy = await alice.download(FILE, { atPause: 'proceed', saveAs: 'twenty-copy.bin' });

    const wire = await captured();
    wire
      .download(alice, FILE)
      .completed()
      .requestedExactly(DROPPED)
      .resentExactly(DROPPED)
      .everyDropResent()
      .noResendWithoutRequest()
      .nothingPastPauseBeforeProceed();
    await wire.sameContent(copy, FILE);
  },
});
