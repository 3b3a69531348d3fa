import { scenario } from '../lab/scenario/scenario.ts';

/**
 * The original walkthrough, on a real network: alice and bob sit on two hosts with
 * their own addresses and reach the server through a router.
 */
export default scenario({
  name: 'walkthrough',
  title: "The seed's walkthrough: two clients on two IPs chat, list, download q.txt past the pause, disconnect",
  clients: { alice: { port: 55000 }, bob: { port: 55001 } },
  async run({ server, clients: { alice, bob }, captured }) {
    await alice.connect();
    await bob.connect();
    await alice.sees('bob is connected');

    await alice.say('hello!');
    await bob.sees('alice (to all): hello!');

    alice.type('get_users');
    await alice.sees('Online users: alice, bob');
    alice.type('get_list_file');
    await alice.sees(/^Files: .*q\.txt/);

    const copy = await alice.download('q.txt', { atPause: 'proceed', saveAs: 'q-copy.txt' });
    await alice.disconnect();
    await bob.sees('alice is disconnected');

    const wire = await captured();
    wire.lineSent(alice, server, 'msg_all|hello!');
    wire.lineSent(server, bob, 'msg_all|alice|hello!');
    wire.lineNotSent(server, alice, /^msg_all\|alice\|/);
    wire
      .download(alice, 'q.txt')
      .completed()
      .nothingPastPauseBeforeProceed()
      .everyDropResent()
      .noResendWithoutRequest();
    await wire.sameContent(copy, 'q.txt');
  },
});
