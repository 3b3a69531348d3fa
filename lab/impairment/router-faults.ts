import type { RouterHost } from '../host/router-host.ts';
import type { NetworkEvent } from '../timeline/network-events.ts';
import type { AppliedImpairments } from './applied-impairments.ts';
import { ImpairmentError } from './impairment-errors.ts';
import { NFT_TABLE } from './nft-script.ts';
import { onNextDatagram } from './next-datagram-trigger.ts';

const PARTITION_TABLE = 'udp_chat_lab_partition';
const RESTART_TABLE = 'udp_chat_lab_restarting';
// The router's own clock, which is the captures' clock (one kernel), in microseconds.
const NOW_US = 'date +%s%6N';

/**
 * An nft table that drops everything the router would forward, ahead of the impairment's own
 * chain (priority 0): at once, or from the next datagram of the server's network `armedBy`.
 *
 * Armed, the strike is the kernel's: a rule puts the packet's family into a set on the first
 * datagram from that network, and the drop holds while the set does, so forwarding stops with
 * that very datagram however busy the machine is (see onNextDatagram for why that matters).
 */
function dropAll(table: string, why: string, armedBy?: string): string[] {
  return [
    `nft -f - <<'EOF'`,
    `table inet ${table} {`,
    ...(armedBy ? ['  set tripped { typeof meta nfproto; flags dynamic; }'] : []),
    '  chain forward {',
    '    type filter hook forward priority -10; policy accept;',
    ...(armedBy ? [`    ip saddr ${armedBy} meta l4proto udp add @tripped { meta nfproto }`] : []),
    `    ${armedBy ? 'meta nfproto @tripped ' : ''}counter drop comment "${why}"`,
    '  }',
    '}',
    'EOF',
  ];
}
const PARTITION = [...dropAll(PARTITION_TABLE, 'partition'), NOW_US].join('\n');

/** What a restart left in place, compared with what was there before it. */
export interface RestartOutcome {
  /** Rules and queues as the router listed them before the restart and after it (counters left out). */
  before: string;
  after: string;
  downMs: number;
  /** Packets that reached the router while it was restarting, all dropped. */
  dropped: number;
}

/**
 * Faults of the network itself, made on the router in the middle of a story: a partition that
 * drops everything between the two networks until it heals, a restart that takes the router's
 * links down and flushes its rules and queues, then builds them again. Each is stamped with the
 * router's clock, so the timelines can show it beside the packets it cost.
 */
export class RouterFaults {
  readonly events: NetworkEvent[] = [];
  private partitionStartUs: number | null = null;
  private partitionStartedHere = 0;
  /** heal() calls so far: an armed partition's datagram that comes after a heal starts nothing. */
  private heals = 0;

  constructor(
    private readonly router: RouterHost,
    private readonly applied: AppliedImpairments,
    private readonly note: (message: string) => void = () => {},
  ) {}

  /** From now on the router forwards nothing, in either direction, until heal(). */
  async partition(): Promise<void> {
    this.partitionBegan((await this.router.execOk(['sh', '-c', PARTITION])).stdout);
  }

  /**
   * Arms a partition that begins with the next datagram the server sends (a download going on
   * after its pause, say) and returns once the router waits for it: on a busy machine a command
   * can take longer to reach the router than the rest of a download lasts. `begun` settles when
   * the partition did.
   */
  async partitionOnNextDatagram(): Promise<{ begun: Promise<void> }> {
    const { done } = await this.arm(PARTITION_TABLE, 'partition');
    this.note('router: armed to partition on the next datagram from the server');
    const armedAt = this.heals;
    // A partition healed before its datagram came never began: a later datagram is not its start.
    const begun = done.then((stdout) => {
      if (this.heals === armedAt) this.partitionBegan(stdout);
    });
    begun.catch(() => undefined);
    return { begun };
  }

  /** Installs `table` armed by the server's next datagram, and the router's wait for it (the table goes again if the wait cannot start). */
  private async arm(table: string, why: string, script = ''): Promise<{ done: Promise<string> }> {
    const rules = dropAll(table, why, this.router.serverSide.cidr);
    await this.router.execOk(['sh', '-c', rules.join('\n')]);
    try {
      return await onNextDatagram(this.router, script);
    } catch (err) {
      await this.router.exec(['nft', 'delete', 'table', 'inet', table]);
      throw err;
    }
  }

  private partitionBegan(stdout: string): void {
    const at = lastNumber(stdout);
    this.partitionStartUs = at;
    this.partitionStartedHere = performance.now();
    this.log(at, 'partition: the router forwards nothing, either way', 'begins');
  }

  /** Ends the partition (`afterSeconds` after it began, when given); returns how many packets it dropped. */
  async heal(opts: { afterSeconds?: number } = {}): Promise<{ dropped: number; lastedMs: number }> {
    this.heals++;
    const wait = (opts.afterSeconds ?? 0) * 1000 - (performance.now() - this.partitionStartedHere);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const { stdout } = await this.router.execOk([
      'sh',
      '-c',
      `nft list chain inet ${PARTITION_TABLE} forward && nft delete table inet ${PARTITION_TABLE} && ${NOW_US}`,
    ]);
    const at = lastNumber(stdout);
    const dropped = Number(/counter packets (\d+)/.exec(stdout)?.[1] ?? 0);
    const lastedMs = this.partitionStartUs === null ? 0 : Math.round((at - this.partitionStartUs) / 1000);
    this.partitionStartUs = null;
    this.log(at, `healed after ${(lastedMs / 1000).toFixed(1)} s: ${dropped} packets dropped`, 'ends');
    return { dropped, lastedMs };
  }

  /**
   * A router restart: it stops forwarding, its rules and queues are flushed (whatever sat in a
   * queue is lost), and after `downMs` it comes back as it was configured: the same rules (drop
   * quotas starting from zero again), the same queues, forwarding again. Its links stay up, as a
   * switch port does while the device behind it reboots, so its own captures keep seeing what
   * reaches it and what it lets through.
   */
  async restart(downMs = 1000): Promise<RestartOutcome> {
    const before = await this.rulesAndQueues();
    this.note(`router: restarting (${downMs} ms without forwarding; rules and queues flushed, then rebuilt)`);
    const script = this.restartScript(downMs);
    const { stdout } = await this.router.execOk(['sh', '-c', script.text], { timeoutMs: downMs + 30_000 });
    return this.restarted(stdout, before, script.rebuilt);
  }

  /** restart(), armed to begin with the next datagram the server sends (see partitionOnNextDatagram); `over` settles when the router is back. */
  async restartOnNextDatagram(downMs = 1000): Promise<{ over: Promise<RestartOutcome> }> {
    const before = await this.rulesAndQueues();
    const script = this.restartScript(downMs, true);
    const { done } = await this.arm(RESTART_TABLE, 'restarting', script.text);
    this.note(`router: armed to restart on the next datagram from the server (${downMs} ms without forwarding)`);
    const over = done.then((stdout) => this.restarted(stdout, before, script.rebuilt));
    over.catch(() => undefined);
    return { over };
  }

  private get links(): string[] {
    return [this.router.clientSide.iface, this.router.serverSide.iface];
  }

  private rulesAndQueues(): Promise<string> {
    const state = `nft -s list table inet ${NFT_TABLE} 2>/dev/null; ${this.links.map((l) => `tc qdisc show dev ${l}`).join('; ')}`;
    return this.router.execOk(['sh', '-c', state]).then((r) => r.stdout);
  }

  /** The restart from its first stamp on; an armed one's drop is in place already, and its trigger's time is the first stamp. */
  private restartScript(downMs: number, armed = false): { text: string; rebuilt: number } {
    const rebuild = [
      ...(this.applied.nftRules > 0 ? [`nft -f /results/impairment.nft`] : []),
      ...this.applied.tcCommands.map((cmd) => cmd.map(shellQuote).join(' ')),
    ];
    const text = [
      'set -e',
      ...(armed ? [] : [...dropAll(RESTART_TABLE, 'restarting'), NOW_US]),
      `nft delete table inet ${NFT_TABLE} 2>/dev/null || true`,
      ...this.links.map((l) => `tc qdisc del dev ${l} root 2>/dev/null || true`),
      `sleep ${downMs / 1000}`,
      ...rebuild,
      `nft list chain inet ${RESTART_TABLE} forward`,
      `nft delete table inet ${RESTART_TABLE}`,
      NOW_US,
    ].join('\n');
    return { text, rebuilt: rebuild.length };
  }

  private async restarted(stdout: string, before: string, rebuilt: number): Promise<RestartOutcome> {
    const stamps = stdout
      .trim()
      .split('\n')
      .filter((l) => /^\d+$/.test(l))
      .map(Number);
    const dropped = Number(/counter packets (\d+)/.exec(stdout)?.[1] ?? 0);
    this.log(stamps[0], 'router restarting: forwarding stopped, rules and queues flushed', 'begins');
    this.log(
      stamps[1],
      `router back: ${rebuilt} rules and queues rebuilt; ${dropped} packets dropped meanwhile`,
      'ends',
    );
    const after = await this.rulesAndQueues();
    return { before, after, downMs: Math.round((stamps[1] - stamps[0]) / 1000), dropped };
  }

  private log(tsUs: number, what: string, outage: NetworkEvent['outage']): void {
    this.events.push({ tsUs, what, outage });
    this.note(`router: ${what}`);
  }
}

function lastNumber(stdout: string): number {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (!/^\d+$/.test(last)) throw new ImpairmentError(`the router printed no time: ${stdout.slice(-200)}`);
  return Number(last);
}

function shellQuote(word: string): string {
  return /^[\w./:%=+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
