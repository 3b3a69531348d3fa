import { expectThat } from '../lab/scenario/expect-that.ts';
import { scenario } from '../lab/scenario/scenario.ts';

// The server's default is 60; shorter, so the story sees it act. Not much shorter: alice's own
// connection is idle from her program's start until she leaves, seconds when other scenarios
// share the machine, and at 4 s the limit once closed it first.
const IDLE_SECONDS = 6;
const PER_ADDRESS = 8; // the server's default --max-per-address

/**
 * One host tries to take every place the server has: 15 silent connections on each of its 16
 * ports, 240 in all. The server keeps 8 of them (one address may hold no more), tells the others
 * why, and closes the 8 once they have said nothing for the idle limit. Meanwhile alice, who
 * had stepped away, comes back on the very port the attacker tried first, and chats with bob.
 */
export default scenario({
  name: 'port-exhaustion',
  title: `One host opens 240 silent connections: the server keeps ${PER_ADDRESS}, refuses the rest with the exact line, closes the ${PER_ADDRESS} after ${IDLE_SECONDS} s idle; alice still gets in`,
  clients: { alice: { port: 55000 }, bob: { port: 55015 } },
  attacker: { on: 'clients' },
  server: { idleBeforeConnect: IDLE_SECONDS },
  async run({ server, attacker, clients: { alice, bob }, captured }) {
    await alice.leave();
    await bob.connect();

    const flood = await attacker.floodConnections({ perPort: 15 });

    await alice.comeBack(55000);
    await alice.connect();
    await alice.say('made it through');
    await bob.sees('alice (to all): made it through');

    const tooMany = `can't connect. Too many connections from ${attacker.ip} (at most ${PER_ADDRESS}). Try again later`;
    expectThat(
      'attackerHeldFew',
      flood.held === PER_ADDRESS,
      `the attacker holds ${flood.held} connections, expected ${PER_ADDRESS}`,
    );
    expectThat(
      'attackerRefused',
      flood.refused[tooMany] === flood.attempted - PER_ADDRESS,
      `the attacker was told ${JSON.stringify(flood.refused)}; expected "${tooMany}" ${flood.attempted - PER_ADDRESS} times`,
    );
    const idle = `can't connect. Idle for ${IDLE_SECONDS} s without connect. Connection closed`;
    const closedWith = await attacker.heldConnectionsClosed(PER_ADDRESS, (IDLE_SECONDS + 10) * 1000);
    expectThat(
      'idleClosed',
      closedWith.every((line) => line === idle),
      `the server closed the attacker's held connections with ${JSON.stringify(closedWith)}; expected "${idle}" on each`,
    );

    const wire = await captured();
    wire.lineSent(server, attacker, tooMany);
    wire.lineSent(server, attacker, idle);
    wire.lineSent(server, alice, 'connected');
    wire.lineSent(server, bob, 'msg_all|alice|made it through');
  },
});
