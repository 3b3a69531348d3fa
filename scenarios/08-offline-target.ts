import { scenario } from '../lab/scenario/scenario.ts';

/** A private message to somebody who is not online is refused, and the sender can go on. */
export default scenario({
  name: 'offline-target',
  title: 'A message to a user who is not online: "can\'t send. zed is not online", the session goes on',
  clients: { alice: {} },
  async run({ server, clients: { alice }, captured }) {
    await alice.connect();
    await alice.say('are you there?', { to: 'zed' });
    await alice.sees("can't send. zed is not online");
    alice.type('get_users');
    await alice.sees('Online users: alice');

    const wire = await captured();
    wire.lineSent(alice, server, 'msg|are you there?|zed');
    wire.lineSent(server, alice, "can't send. zed is not online");
  },
});
