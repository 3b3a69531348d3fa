import { scenario } from '../lab/scenario/scenario.ts';
import { frameBlockSize } from '../services/protocol/block-size.ts';
import { CHUNK_SIZE } from '../services/protocol/datagram.ts';

const FILE = 'four-mb.bin';
const SIZE = 4_000_000;
const MTU = 9000;
/** What a 9000-byte frame holds of the file: less IPv4 20, UDP 8 and the datagram's own 5 bytes (8967). */
const JUMBO_BLOCK = frameBlockSize(MTU);
const SEED_BLOCK = CHUNK_SIZE;

/**
 * Both networks carry jumbo frames, as a data centre's or a lab switch's do. alice's client
 * sees its link's MTU and, before its first download, asks the server for blocks that fill a
 * frame (`blksize|8967`); the server's link carries them too, so it agrees. bob's client is told
 * to keep the seed's block and asks nothing. The same 4 MB file crosses in 447 datagrams for
 * alice and in 1,958 for bob: the captures show both, and both copies are whole.
 */
export default scenario({
  name: 'jumbo-frames',
  title:
    "Links with 9000-byte frames: one client asks for blocks that fill a frame (blksize|8967), the other keeps the seed's 2043; the same 4 MB file in 447 datagrams and in 1,958",
  clients: { alice: {}, bob: { blockSize: SEED_BLOCK } },
  mtu: MTU,
  files: { [FILE]: SIZE },
  async run({ server, clients: { alice, bob }, captured, note }) {
    await alice.connect();
    await bob.connect();
    const aliceCopy = await alice.download(FILE, { saveAs: 'alice-copy.bin' });
    const bobCopy = await bob.download(FILE, { saveAs: 'bob-copy.bin' });

    const wire = await captured();
    wire.lineSent(alice, server, `blksize|${JUMBO_BLOCK}`);
    wire.lineSent(server, alice, `blksize|${JUMBO_BLOCK}`);
    wire.lineNotSent(bob, server, /^blksize\|/);
    const large = wire.download(alice, FILE).completed().carriedBlocksOf(JUMBO_BLOCK);
    const seed = wire.download(bob, FILE).completed().carriedBlocksOf(SEED_BLOCK);
    for (const d of [large, seed]) d.nothingPastPauseBeforeProceed().everyDropResent().noResendWithoutRequest();
    note(
      `alice: ${large.timeline.n} datagrams of ${JUMBO_BLOCK} bytes in ${large.seconds.toFixed(2)} s; bob: ${seed.timeline.n} of ${SEED_BLOCK} in ${seed.seconds.toFixed(2)} s`,
    );
    await wire.sameContent(aliceCopy, FILE);
    await wire.sameContent(bobCopy, FILE);
  },
});
