import { scenario } from '../lab/scenario/scenario.ts';

/** A name is first come, first served: the second claim gets the exact refusal, and tries again. */
export default scenario({
  name: 'name-collision',
  title: 'A taken name gets the exact refusal on the wire; the first user is unaffected; the second picks another',
  clients: { alice: {}, bob: {} },
  async run({ server, clients: { alice, bob }, captured }) {
    await alice.connect('alice');
    // The client shows the refusal as it came, and stays at the prompt.
    await bob.connect('alice', { expect: "can't connect. Name is taken. Try another" });

    alice.type('get_users');
    await alice.sees('Online users: alice');

    await bob.connect('bob');
    await alice.sees('bob is connected');
    bob.type('get_users');
    await bob.sees('Online users: alice, bob');

    const wire = await captured();
    wire.lineSent(bob, server, 'connect|alice');
    wire.lineSent(server, bob, "can't connect. Name is taken. Try another");
    wire.lineSent(server, bob, 'connected');
    wire.lineNotSent(server, alice, 'alice is disconnected');
  },
});
