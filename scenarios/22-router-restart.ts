import { expectThat } from '../lab/scenario/expect-that.ts';
import { scenario } from '../lab/scenario/scenario.ts';

const FILE = 'two-mb.bin';
const SIZE = 2_000_000;

/**
 * The router restarts as alice's download goes on past its pause: it stops forwarding, its rules
 * (a chosen drop) and its queue (a 6 Mbit/s bottleneck to alice, which the server's 8 Mbit/s
 * keeps full) are flushed with whatever sat in it, and a second and a half later it comes back
 * with the same rules and queue, its drop quota starting afresh. The download rides it out and
 * completes intact; the chat goes on.
 */
export default scenario({
  name: 'router-restart',
  title:
    'The router restarts mid-download (1.5 s without forwarding, rules and queues flushed and rebuilt): the download completes intact',
  clients: { alice: {}, bob: {} },
  files: { [FILE]: SIZE },
  server: { rate: 8 },
  impair(router) {
    router.withRate({ client: 'alice', rate: '6mbit', queuePackets: 64 });
    router.withDrop({ client: 'alice', seq: 970, times: 1, fileSize: SIZE });
  },
  async run({ router, clients: { alice, bob }, captured }) {
    await alice.connect();
    await bob.connect();
    const download = await alice.startDownload(FILE);
    await download.reachesPause();
    // Armed before the download goes on, so the restart falls inside it however busy the machine is.
    const restarting = await router.restartOnNextDatagram(1500);
    download.proceed();
    const restart = await restarting.over;
    expectThat('routerDropped', restart.dropped > 0, 'nothing reached the router while it restarted');
    expectThat(
      'routerRebuilt',
      restart.after === restart.before,
      `the router came back with other rules or queues:\nbefore:\n${restart.before}\nafter:\n${restart.after}`,
    );

    const copy = await download.save('two-mb-copy.bin');
    await alice.say('still here');
    await bob.sees('alice (to all): still here');

    const wire = await captured();
    wire
      .download(alice, FILE)
      .completed()
      .sawOutage(1)
      .everyDropResent()
      .noResendWithoutRequest()
      .nothingPastPauseBeforeProceed();
    await wire.sameContent(copy, FILE);
  },
});
