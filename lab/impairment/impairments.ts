import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { detectNetem } from '../engine/netem.ts';
import type { LabHost } from '../host/lab-host.ts';
import { SCENARIO_FILE } from '../results/run-folder.ts';
import type { StartedLabTopology } from '../topology/started-lab-topology.ts';
import { seededDropPlan, type DropPlan } from './drop-plan.ts';
import type {
  Direction,
  Mechanism,
  NetemSpec,
  RateLimit,
  Reordering,
  SeededLoss,
  SeqDrop,
  TcpLoss,
} from './impairment-spec.ts';
import { DEFAULT_REORDER_DELAY_MS, lateLanePlan } from './late-lane.ts';
import { ImpairmentError, NetemMissingError } from './impairment-errors.ts';
import { nftScript, type DatagramDrop, type Flow, type FlowLoss } from './nft-script.ts';
import { AppliedImpairments, type AppliedPlan } from './applied-impairments.ts';
import { netemFeatures, tcPlan, type ShapeClass, type TcPlan } from './tc-plan.ts';

/**
 * Builder for what the router does to traffic between clients and server.
 * Nothing touches the router until apply(), which loads every nft rule in one
 * transaction and every tc qdisc, and says which mechanisms it used.
 */
export class Impairments {
  private readonly seqDrops: SeqDrop[] = [];
  private readonly seeded: SeededLoss[] = [];
  private readonly tcpLosses: TcpLoss[] = [];
  private readonly rates: RateLimit[] = [];
  private readonly netems: NetemSpec[] = [];
  private readonly reorderings: Reordering[] = [];

  constructor(private readonly topology: StartedLabTopology) {}

  /** Drop the first `times` transmissions of datagram `seq` (then let it through). */
  withDrop(drop: SeqDrop): this {
    this.seqDrops.push(drop);
    return this;
  }

  /** Reproducible random loss of download datagrams: a seeded plan of per-seq drops. */
  withSeededLoss(loss: SeededLoss): this {
    this.seeded.push(loss);
    return this;
  }

  /** Random loss of TCP segments (nft numgen): not reproducible, since nft cannot be seeded. */
  withTcpLoss(loss: TcpLoss): this {
    this.tcpLosses.push(loss);
    return this;
  }

  withRate(rate: RateLimit): this {
    this.rates.push(rate);
    return this;
  }

  /** Delay, jitter, duplication, reordering, corruption: only where the kernel has netem. */
  withNetem(netem: NetemSpec): this {
    this.netems.push(netem);
    return this;
  }

  /** Hold chosen datagrams back by a few ms while the rest pass: they arrive after later ones. */
  withReordering(reordering: Reordering): this {
    this.reorderings.push(reordering);
    return this;
  }

  async apply(): Promise<AppliedImpairments> {
    // Fail before changing anything: a half-applied impairment is a wrong experiment.
    if (this.netems.length > 0) {
      const support = await detectNetem(this.topology.engine);
      if (!support.available)
        throw new NetemMissingError([...new Set(this.netems.flatMap(netemFeatures))], support.detail);
    }
    const started = Date.now();
    const { drops, plans } = this.plannedDrops();
    const tcp: FlowLoss[] = this.tcpLosses.flatMap((l) =>
      this.flows(l.client, l.direction).map((flow) => ({ flow, percent: l.percent })),
    );
    const nftRules = await this.applyNft(drops, tcp);
    const shaped = await this.applyTc();
    const mechanisms = new Set<Mechanism>([...(nftRules > 0 ? ['nftables' as const] : []), ...shaped.mechanisms]);
    return new AppliedImpairments(
      this.topology.router,
      [...mechanisms],
      plans,
      drops,
      tcp,
      shaped.commands,
      nftRules,
      Date.now() - started,
    );
  }

  /** Every datagram to drop: the chosen ones, then those each seeded loss draws, per flow. */
  private plannedDrops(): { drops: DatagramDrop[]; plans: AppliedPlan[] } {
    const plans: AppliedPlan[] = [];
    const drops: DatagramDrop[] = this.seqDrops.flatMap((d) =>
      this.flows(d.client, d.direction).map((flow) => ({
        flow,
        seq: d.seq,
        times: d.times,
        fileSize: d.fileSize,
        why: 'fixed',
      })),
    );
    for (const loss of this.seeded) {
      const plan: DropPlan = seededDropPlan(loss);
      for (const flow of this.flows(loss.client, loss.direction)) {
        plans.push({ client: flow.key.replace(/-to-(client|server)$/, ''), direction: flow.direction, plan });
        for (const { seq, times } of plan.drops) {
          drops.push({ flow, seq, times, fileSize: loss.fileSize, why: `seed ${loss.seed} ${loss.percent}%` });
        }
      }
    }
    return { drops, plans };
  }

  /** Loads the drops and TCP losses into the router's nftables (kept as impairment.nft); how many rules. */
  private async applyNft(drops: DatagramDrop[], tcp: FlowLoss[]): Promise<number> {
    if (drops.length === 0 && tcp.length === 0) return 0;
    const { router } = this.topology;
    const script = nftScript(drops, tcp);
    await writeFile(path.join(this.topology.resultsDir, SCENARIO_FILE.impairmentRules), script);
    await router.putFiles('/results', [{ name: SCENARIO_FILE.impairmentRules, content: script }]);
    await router.execOk(['nft', '-f', path.posix.join('/results', SCENARIO_FILE.impairmentRules)], {
      timeoutMs: 60_000,
    });
    return drops.length + tcp.length;
  }

  /** Shapes each router interface's egress: the late lane where reordering is asked, else the tc plan. */
  private async applyTc(): Promise<TcPlan> {
    const { router } = this.topology;
    const commands: string[][] = [];
    const mechanisms = new Set<Mechanism>();
    const netemForReordering = this.reorderings.length > 0 && (await detectNetem(this.topology.engine)).available;
    for (const direction of ['to-client', 'to-server'] as const) {
      const side = direction === 'to-client' ? router.clientSide : router.serverSide;
      const plan = this.reorderingOn(direction)
        ? this.lateLane(side.iface, direction, netemForReordering)
        : tcPlan(side.iface, this.shapeClasses(direction));
      for (const cmd of plan.commands) {
        await router.execOk(cmd);
        commands.push(cmd);
      }
      plan.mechanisms.forEach((m) => mechanisms.add(m));
    }
    return { commands, mechanisms: [...mechanisms] };
  }

  private reorderingOn(direction: Direction): boolean {
    return this.reorderings.some((r) => (r.direction ?? 'to-client') === direction);
  }

  private lateLane(iface: string, direction: Direction, netem: boolean) {
    if (this.shapeClasses(direction).length > 0)
      throw new ImpairmentError(
        `reordering cannot be combined with a rate or netem on the same direction (${direction})`,
      );
    const reorderings = this.reorderings.filter((r) => (r.direction ?? 'to-client') === direction);
    const delays = new Set(reorderings.map((r) => r.delayMs ?? DEFAULT_REORDER_DELAY_MS));
    if (delays.size > 1) throw new ImpairmentError(`one reorder delay per direction, got ${[...delays].join(', ')} ms`);
    const field = direction === 'to-client' ? 'dst' : 'src';
    const matches = reorderings.flatMap((r) =>
      (r.client ? [this.topology.client(r.client)] : this.topology.clients).map(
        (c) => ({ field, ip: c.ip, seqs: r.seqs }) as const,
      ),
    );
    return lateLanePlan(iface, matches, [...delays][0], netem);
  }

  /** The server↔client flows a scoped impairment covers; `all` expands so each client keeps its own quotas. */
  private flows(client: string | undefined, direction: Direction = 'to-client'): Flow[] {
    const clients = client ? [this.topology.client(client)] : this.topology.clients;
    const server = this.topology.server.ip;
    return clients.map((c: LabHost) => ({
      key: `${c.name}-${direction}`,
      direction,
      saddr: direction === 'to-client' ? server : c.ip,
      daddr: direction === 'to-client' ? c.ip : server,
    }));
  }

  private shapeClasses(direction: Direction): ShapeClass[] {
    const classes = new Map<string, ShapeClass>();
    const field = direction === 'to-client' ? 'dst' : 'src';
    const classFor = (client: string | undefined): ShapeClass => {
      const key = client ?? '*';
      let c = classes.get(key);
      if (!c) {
        c = { match: client ? { field, ip: this.topology.client(client).ip } : 'all' };
        classes.set(key, c);
      }
      return c;
    };
    for (const r of this.rates) {
      if ((r.direction ?? 'to-client') !== direction) continue;
      const c = classFor(r.client);
      if (c.rate) throw new ImpairmentError(`two rates for ${r.client ?? 'all'} ${direction}`);
      c.rate = r.rate;
      c.queuePackets = r.queuePackets;
    }
    for (const n of this.netems) {
      if ((n.direction ?? 'to-client') !== direction) continue;
      const c = classFor(n.client);
      c.netem = { ...c.netem, ...n };
    }
    return [...classes.values()];
  }
}
