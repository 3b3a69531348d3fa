import { datagramCount } from '../services/protocol/datagram.ts';
import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'reorder.bin';
const SIZE = 2_000_000; // 979 datagrams
const DELAY_MS = 5;
/** Every 100th datagram is held back: far enough apart (at the lab's 100 Mbit/s, 16 ms) not to queue behind each other. */
const HELD_BACK = Array.from({ length: Math.floor(datagramCount(SIZE) / 100) }, (_, i) => 50 + 100 * i);

/**
 * The router holds a few datagrams back by 5 ms while the others pass: they reach alice after
 * dozens sent later. Nothing is lost, so nothing may be asked for again: the client must tell a
 * late datagram from a lost one (it waits for more than three later ones and a reorder window
 * before it asks). The pcaps behind the router and on alice's host show each one arriving late.
 */
export default scenario({
  name: 'reordering',
  title: `${HELD_BACK.length} datagrams held back ${DELAY_MS} ms and overtaken by later ones: the pcaps show them late, and not one is asked for again`,
  clients: { alice: {} },
  // The client must read a late datagram before its reorder window ends: other scenarios on the
  // same cores would slow it down enough to ask for it again.
  alone: true,
  files: { [FILE]: SIZE },
  impair(router) {
    router.withReordering({ client: 'alice', seqs: HELD_BACK, delayMs: DELAY_MS });
  },
  async run({ clients: { alice }, captured, note }) {
    await alice.connect();
    const copy = await alice.download(FILE, { saveAs: 'reorder-copy.bin' });

    const wire = await captured();
    const download = wire
      .download(alice, FILE)
      .completed()
      .sawReordering(HELD_BACK.length / 2);
    const most = Math.max(...download.overtaken.map((o) => o.positions));
    note(`${download.overtaken.length} datagrams arrived late, overtaken by up to ${most} later ones`);
    download
      .notRequested(download.overtaken.map((o) => o.seq))
      .requestedExactly([])
      .nothingPastPauseBeforeProceed();
    await wire.sameContent(copy, FILE);
  },
});
