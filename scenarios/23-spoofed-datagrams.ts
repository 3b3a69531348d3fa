import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'report.bin';
const SIZE = 1_200_000; // N = 588 datagrams, the pause after H = 294
const FORGED = [450, 451, 452, 585, 586, 587];

/**
 * An attacker on alice's network, where every host hears every frame, overhears her download:
 * the `udp|<port>` line gives her port, the first datagram the server's source port. The moment
 * alice types `proceed`, it sends six datagrams of its own with the server's address and port and
 * the right lengths, but wrong bytes, racing the server's real ones.
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
    wire.download(alice, FILE).completed().noResendWithoutRequest().nothingPastPauseBeforeProceed();
    await wire.sameContent(copy, FILE);
  },
});
