import { NetNamespace } from './netns.ts';

export const NAMESPACE_PREFIX = 'udpchat-path';

export interface PathSpec {
  /** The bottleneck, on the router's link toward the client. */
  rateMbit: number;
  /** Random loss of what reaches the client (after the bottleneck), in percent. */
  lossPercent: number;
  mtu: number;
  /** How long the bottleneck's queue is, in milliseconds of its rate. */
  queueMs: number;
  /** Addresses the client namespace holds, so that several programs there are told apart on the wire. */
  clientAddresses: number;
}

/**
 * server → router → client, three network namespaces joined by veth pairs. The router
 * forwards, and its interface toward the client is the bottleneck (tbf): a sender feels no
 * backpressure from it, as on a real network. Loss is applied in the client's input hook,
 * after the bottleneck, so a lost datagram still used the link.
 */
export class EmulatedPath {
  private spec: PathSpec = { rateMbit: 100, lossPercent: 0, mtu: 1500, queueMs: 20, clientAddresses: 1 };

  withRate(rateMbit: number): this {
    this.spec.rateMbit = rateMbit;
    return this;
  }
  withLoss(lossPercent: number): this {
    this.spec.lossPercent = lossPercent;
    return this;
  }
  withMtu(mtu: number): this {
    this.spec.mtu = mtu;
    return this;
  }
  withClientAddresses(count: number): this {
    this.spec.clientAddresses = count;
    return this;
  }

  async start(): Promise<StartedEmulatedPath> {
    const id = `${NAMESPACE_PREFIX}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
    const created: NetNamespace[] = [];
    try {
      for (const role of ['s', 'r', 'c']) created.push(await NetNamespace.create(`${id}-${role}`));
      const [server, router, client] = created;
      await wire(server, router, client, this.spec);
      const path = new StartedEmulatedPath(server, router, client, { ...this.spec });
      await path.setBottleneck(this.spec.rateMbit);
      await path.setLoss(this.spec.lossPercent);
      return path;
    } catch (error) {
      await Promise.all(created.map((ns) => ns.remove()));
      throw error;
    }
  }
}

export const SERVER_IP = '10.199.1.2';
const ROUTER_SERVER_SIDE = '10.199.1.1';
const ROUTER_CLIENT_SIDE = '10.199.2.1';
const clientIp = (i: number) => `10.199.2.${2 + i}`;

async function wire(server: NetNamespace, router: NetNamespace, client: NetNamespace, spec: PathSpec): Promise<void> {
  // veth pairs are made in the router and one end is moved into its neighbour.
  await router.exec('ip', ['link', 'add', 'to-server', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', server.name]);
  await router.exec('ip', ['link', 'add', 'to-client', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', client.name]);
  const links: Array<[NetNamespace, string]> = [
    [server, 'eth0'],
    [router, 'to-server'],
    [router, 'to-client'],
    [client, 'eth0'],
  ];
  for (const [ns, dev] of links) {
    // One packet per packet: with segmentation offload a tbf or a drop rule would act on batches.
    await ns.exec('ip', ['link', 'set', 'dev', dev, 'mtu', String(spec.mtu), 'gso_max_segs', '1', 'up']);
  }
  await server.exec('ip', ['addr', 'add', `${SERVER_IP}/24`, 'dev', 'eth0']);
  await router.exec('ip', ['addr', 'add', `${ROUTER_SERVER_SIDE}/24`, 'dev', 'to-server']);
  await router.exec('ip', ['addr', 'add', `${ROUTER_CLIENT_SIDE}/24`, 'dev', 'to-client']);
  for (let i = 0; i < spec.clientAddresses; i++)
    await client.exec('ip', ['addr', 'add', `${clientIp(i)}/24`, 'dev', 'eth0']);
  await server.exec('ip', ['route', 'add', 'default', 'via', ROUTER_SERVER_SIDE]);
  await client.exec('ip', ['route', 'add', 'default', 'via', ROUTER_CLIENT_SIDE]);
  await router.exec('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
}

export class StartedEmulatedPath {
  readonly serverIp = SERVER_IP;
  readonly clientIps: string[];

  constructor(
    readonly server: NetNamespace,
    readonly router: NetNamespace,
    readonly client: NetNamespace,
    readonly spec: PathSpec,
  ) {
    this.clientIps = Array.from({ length: spec.clientAddresses }, (_, i) => clientIp(i));
  }

  /** tbf at `rateMbit` with a queue of `queueMs` of that rate: tail drop when it is full, as a real bottleneck. */
  async setBottleneck(rateMbit: number): Promise<void> {
    const bytesPerSecond = (rateMbit * 1e6) / 8;
    const burst = Math.max(Math.round(bytesPerSecond / 250), 2 * (this.spec.mtu + 14));
    await this.router.exec('tc', [
      'qdisc',
      'replace',
      'dev',
      'to-client',
      'root',
      'tbf',
      'rate',
      `${rateMbit}mbit`,
      'burst',
      String(burst),
      'latency',
      `${this.spec.queueMs}ms`,
    ]);
  }

  /** Random loss of everything the server sends that reaches the client, counted per datagram (after reassembly). */
  async setLoss(percent: number): Promise<void> {
    await this.client.exec('nft', ['delete', 'table', 'inet', 'pathloss']).catch(() => undefined);
    if (percent <= 0) return;
    const script = [
      'table inet pathloss {',
      '  chain in {',
      '    type filter hook input priority 0; policy accept;',
      `    ip saddr ${SERVER_IP} numgen random mod 10000 < ${Math.round(percent * 100)} counter drop`,
      '  }',
      '}',
    ].join('\n');
    await runNft(this.client, script);
  }

  /** Packets the bottleneck dropped and sent since the qdisc was set. */
  async bottleneckStats(): Promise<{ sent: number; dropped: number }> {
    const out = await this.router.exec('tc', ['-s', 'qdisc', 'show', 'dev', 'to-client']);
    const m = /Sent \d+ bytes (\d+) pkt \(dropped (\d+)/.exec(out);
    return { sent: Number(m?.[1] ?? 0), dropped: Number(m?.[2] ?? 0) };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all([this.server, this.router, this.client].map((ns) => ns.remove()));
  }
}

async function runNft(ns: NetNamespace, script: string): Promise<void> {
  const child = ns.spawn('nft', ['-f', '-']);
  child.stdin!.end(script);
  const stderr: Buffer[] = [];
  child.stderr!.on('data', (c: Buffer) => stderr.push(c));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`nft failed in ${ns.name}: ${Buffer.concat(stderr).toString().trim()}`);
}
