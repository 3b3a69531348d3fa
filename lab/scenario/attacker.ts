import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AttackAgent, AttackError } from '../attack/attack-agent.ts';
import type { AgentEvent } from '../attack/agent.ts';
import { ExpectationFailed } from '../assertions/expectation-failed.ts';
import { forgedDatagrams } from '../attack/forged-datagrams.ts';
import type { AttackerHost } from '../host/attacker-host.ts';
import { ATTACKER } from '../results/run-folder.ts';
import type { LabFiles } from './lab-files.ts';
import { DEFAULT_PORTS } from '../../services/protocol/defaults.ts';

/** Anything with an address in the topology. */
type Victim = { ip: string; name?: string };

export interface FloodOutcome {
  /** Connections tried. */
  attempted: number;
  /** Connections the server took and kept, on which the attacker says nothing. */
  held: number;
  /** How many connections were told each line before the server closed them. */
  refused: Record<string, number>;
  /** Connections that failed outright (reset, refused by the kernel). */
  failed: number;
}

type EventOf<K extends AgentEvent['event']> = Extract<AgentEvent, { event: K }>;
const isEvent =
  <K extends AgentEvent['event']>(kind: K) =>
  (e: AgentEvent): e is EventOf<K> =>
    e.event === kind;

/**
 * The attacker of a scenario, driven the way its story reads: it overhears a victim on a
 * shared medium, injects forged datagrams with the server's address, holds the server's
 * connections. Nothing here touches the system's programs: it only sends packets.
 */
export class Attacker {
  private constructor(
    readonly host: AttackerHost,
    private readonly agent: AttackAgent,
    private readonly serverIp: string,
    private readonly files: LabFiles,
    private readonly note: (message: string) => void,
  ) {}

  static async start(
    host: AttackerHost,
    opts: { serverIp: string; files: LabFiles; note: (m: string) => void },
  ): Promise<Attacker> {
    return new Attacker(host, await AttackAgent.start(host), opts.serverIp, opts.files, opts.note);
  }

  get ip(): string {
    return this.host.ip;
  }

  /**
   * Starts overhearing the victim's control lines and the datagrams sent to it, as tcpdump on
   * the network shows them; this needs a shared medium (`attacker: { on: 'clients', sharedMedium: true }`).
   */
  async eavesdropOn(victim: Victim): Promise<void> {
    if (!this.host.sharedMedium)
      throw new AttackError(
        `the attacker cannot overhear ${victim.name ?? victim.ip}: its network is switched (give the scenario attacker: { sharedMedium: true })`,
      );
    this.note(`attacker: listening to ${victim.name ?? victim.ip}'s traffic on the shared network`);
    this.agent.send({ cmd: 'watch', victim: victim.ip, server: this.serverIp, iface: 'eth0' });
    await this.agent.waitFor(isEvent('watching'), 10_000, 'starting tcpdump');
  }

  /**
   * As soon as the victim's `proceed` crosses the wire, sends datagrams for `seqs` of `file` with
   * wrong bytes, from the server's address and the download's own source port (both learnt from
   * the wire), racing the server's real ones.
   */
  async injectAfterProceed(file: string, seqs: readonly number[], copies = 1): Promise<void> {
    const forged = forgedDatagrams(await this.files.size(file), seqs);
    await this.host.impersonate(this.serverIp);
    this.note(`attacker: armed to inject seqs ${seqs.join(', ')} of ${file} as soon as it sees proceed`);
    this.agent.send({ cmd: 'arm', when: 'proceed', datagrams: forged.map((d) => d.toString('base64')), copies });
  }

  /** What it learnt from the wire: the victim's download port and the server's source port. */
  async learnt(timeoutMs = 10_000): Promise<{ udpPort: number; serverPort: number }> {
    const udp = await this.agent.waitFor(isEvent('udp-port'), timeoutMs, 'overhearing udp|<port>');
    const server = await this.agent.waitFor(isEvent('server-port'), timeoutMs, "overhearing the server's source port");
    return { udpPort: udp.port, serverPort: server.port };
  }

  /** Waits until the armed injection went out; returns how many datagrams it sent and when (epoch seconds). */
  async injected(timeoutMs = 30_000): Promise<EventOf<'injected'>> {
    const sent = await this.agent.waitFor(isEvent('injected'), timeoutMs, 'injecting');
    this.note(`attacker: injected ${sent.datagrams} datagrams from ${sent.from} to ${sent.to}`);
    return sent;
  }

  /** Opens `perPort` connections to every port of the server at once and holds those the server keeps, silently. */
  async floodConnections({
    perPort,
    ports = serverPorts(),
  }: {
    perPort: number;
    ports?: readonly number[];
  }): Promise<FloodOutcome> {
    this.note(`attacker: opening ${perPort} connections on each of ${ports.length} ports`);
    this.agent.send({ cmd: 'flood', server: this.serverIp, ports: [...ports], perPort, settleMs: 1000 });
    const { attempted, held, told, failed } = await this.agent.waitFor(isEvent('flood'), 60_000, 'flooding');
    this.note(`attacker: holds ${held} of ${attempted} connections; told ${JSON.stringify(told)}; ${failed} failed`);
    return { attempted, held, refused: told, failed };
  }

  /** Waits until the server closed `count` of the held connections; returns the last line each was told. */
  async heldConnectionsClosed(count: number, timeoutMs: number): Promise<(string | null)[]> {
    const closed = (e: AgentEvent): e is EventOf<'held-closed'> => e.event === 'held-closed';
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.agent.events().filter(closed);
      if (seen.length >= count) return seen.slice(0, count).map((e) => e.line);
      if (Date.now() > deadline)
        // The server broke its promise to close idle connections: a failure of the program, not of the attacker.
        throw new ExpectationFailed(
          'heldConnectionsClosed',
          `the server closed ${seen.length} of the attacker's held connections within ${timeoutMs} ms, expected ${count}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Ends the agent and writes what it did beside the pcaps. */
  async stop(dir: string): Promise<void> {
    await this.agent.stop();
    const log = [...this.agent.process.stdout.lines, ...this.agent.process.stderr.lines.map((l) => `stderr: ${l}`)];
    await writeFile(path.join(dir, ATTACKER.log), log.join('\n') + '\n');
  }
}

function serverPorts(): number[] {
  const { first, last } = DEFAULT_PORTS;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
