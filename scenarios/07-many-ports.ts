import { scenario } from '../lab/scenario/scenario.ts';

/** Three clients on three different ports of the same server: one chat room across ports. */
export default scenario({
  name: 'many-ports',
  title: 'Clients on ports 55000, 55007, 55015: a broadcast reaches all, a private message only its target',
  clients: { alice: { port: 55000 }, bob: { port: 55007 }, carol: { port: 55015 } },
  async run({ server, clients: { alice, bob, carol }, captured }) {
    await alice.connect();
    await bob.connect();
    await carol.connect();

    await alice.say('hello, all ports');
    await bob.sees('alice (to all): hello, all ports');
    await carol.sees('alice (to all): hello, all ports');

    await bob.say('just for you', { to: 'carol' });
    await carol.sees('bob (private): just for you');
    // A marker after the private message: once alice sees it, she would have seen the message too.
    await carol.say('done');
    await alice.sees('carol (to all): done');

    const wire = await captured();
    wire.lineSent(bob, server, 'msg|just for you|carol');
    wire.lineSent(server, carol, 'msg|bob|just for you');
    wire.lineNotSent(server, alice, /^msg\|bob\|/);
    wire.lineSent(server, bob, 'msg_all|alice|hello, all ports');
    wire.lineSent(server, carol, 'msg_all|alice|hello, all ports');
    wire.lineNotSent(server, alice, 'msg_all|alice|hello, all ports');
  },
});
