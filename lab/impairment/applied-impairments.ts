import type { NetworkEvent } from '../timeline/network-events.ts';
import type { RouterHost } from '../host/router-host.ts';
import type { DropPlan } from './drop-plan.ts';
import type { Direction, Mechanism } from './impairment-spec.ts';
import { NFT_TABLE, type DatagramDrop, type FlowLoss } from './nft-script.ts';

export interface AppliedPlan {
  client: string;
  direction: Direction;
  plan: DropPlan;
}

export interface RuleCounter {
  comment: string;
  packets: number;
  bytes: number;
}

/** What impairment.json holds: every planned drop, rule and queue, so a reader can replay and explain the run. */
export interface ImpairmentRecord {
  /** Which kernel mechanisms did the work (`nftables`, `tbf`, `htb`, `pfifo`, `netem`). */
  mechanisms: readonly Mechanism[];
  plans: (DropPlan & { client: string; direction: Direction })[];
  drops: { flow: string; seq: number; times: number; why: string }[];
  tcpLoss: { flow: string; percent: number; reproducible: false }[];
  tc: string[];
  nftRules: number;
  installMs: number;
  /** What the story did to the router mid-way (partition, heal, restart), when it did. */
  networkFaults?: NetworkEvent[];
}

/** What apply() installed: the record a results file needs to replay the run. */
export class AppliedImpairments {
  constructor(
    private readonly router: RouterHost,
    /** Which kernel mechanisms did the work (for the results). */
    readonly mechanisms: readonly Mechanism[],
    /** Seeded plans: seed, percentage and every planned drop. */
    readonly plans: readonly AppliedPlan[],
    readonly drops: readonly DatagramDrop[],
    readonly tcpLoss: readonly FlowLoss[],
    readonly tcCommands: readonly string[][],
    readonly nftRules: number,
    /** Wall time to install everything. */
    readonly installMs: number,
  ) {}

  /** Per drop rule: how many packets it has dropped so far. */
  async counters(): Promise<RuleCounter[]> {
    if (this.nftRules === 0) return [];
    const { stdout } = await this.router.execOk(['nft', '-j', 'list', 'table', 'inet', NFT_TABLE]);
    const items = (JSON.parse(stdout) as { nftables: Array<{ rule?: NftRule }> }).nftables;
    return items.flatMap(({ rule }) => {
      const counter = rule?.expr?.find((e) => e.counter)?.counter;
      return rule?.comment && counter
        ? [{ comment: rule.comment, packets: counter.packets, bytes: counter.bytes }]
        : [];
    });
  }

  toJSON(): ImpairmentRecord {
    return {
      mechanisms: this.mechanisms,
      plans: this.plans.map(({ client, direction, plan }) => ({ client, direction, ...plan })),
      drops: this.drops.map((d) => ({ flow: d.flow.key, seq: d.seq, times: d.times, why: d.why })),
      tcpLoss: this.tcpLoss.map((l) => ({ flow: l.flow.key, percent: l.percent, reproducible: false })),
      tc: this.tcCommands.map((c) => c.join(' ')),
      nftRules: this.nftRules,
      installMs: this.installMs,
    };
  }

  /** Removes every rule and qdisc, leaving the router a plain router. */
  async clear(): Promise<void> {
    await this.router.exec(['nft', 'delete', 'table', 'inet', NFT_TABLE]);
    for (const iface of [this.router.clientSide.iface, this.router.serverSide.iface]) {
      await this.router.exec(['tc', 'qdisc', 'del', 'dev', iface, 'root']);
    }
  }
}

interface NftRule {
  comment?: string;
  expr?: Array<{ counter?: { packets: number; bytes: number } }>;
}
