import type { Mechanism, NetemSpec } from './impairment-spec.ts';

/** What to shape on one router interface's egress: for everyone, or for one address. */
export interface ShapeClass {
  /** `all`, or the client address this class matches (`dst` / `src` per `matchField`). */
  match: 'all' | { field: 'dst' | 'src'; ip: string };
  rate?: string;
  /** A short queue makes the rate a bottleneck that drops (pfifo / tbf limit). */
  queuePackets?: number;
  netem?: NetemSpec;
}

export interface TcPlan {
  commands: string[][];
  mechanisms: Mechanism[];
}

// The htb default class must not limit traffic that no class names.
const UNLIMITED = '10gbit';

/**
 * The smallest qdisc tree that does what was asked: a lone rate for all is a
 * tbf; netem for all is a netem root (with a tbf below it for a rate);
 * anything per client is an htb tree whose classes u32 filters pick by
 * address, each leaf a netem where asked.
 */
export function tcPlan(iface: string, classes: readonly ShapeClass[]): TcPlan {
  if (classes.length === 0) return { commands: [], mechanisms: [] };
  const all = classes.find((c) => c.match === 'all');
  const perClient = classes.filter((c) => c.match !== 'all');
  return perClient.length === 0 && all ? rootPlan(iface, all) : htbPlan(iface, all, perClient);
}

const tc = (...args: string[]) => ['tc', ...args];

/** One class for everyone: a tbf root, or a netem root with a tbf below it for a rate. */
function rootPlan(iface: string, all: ShapeClass): TcPlan {
  if (!all.netem)
    return {
      commands: [tc('qdisc', 'replace', 'dev', iface, 'root', ...tbfArgs(all.rate ?? UNLIMITED, all.queuePackets))],
      mechanisms: ['tbf'],
    };
  const commands = [tc('qdisc', 'replace', 'dev', iface, 'root', 'handle', '1:', 'netem', ...netemArgs(all.netem))];
  if (all.rate)
    commands.push(
      tc('qdisc', 'add', 'dev', iface, 'parent', '1:1', 'handle', '10:', ...tbfArgs(all.rate, all.queuePackets)),
    );
  return { commands, mechanisms: all.rate ? ['netem', 'tbf'] : ['netem'] };
}

/** An htb tree: the default class for everyone (netem below it where asked), one class per client. */
function htbPlan(iface: string, all: ShapeClass | undefined, perClient: readonly ShapeClass[]): TcPlan {
  const mechanisms = new Set<Mechanism>(['htb']);
  const commands = [
    tc('qdisc', 'replace', 'dev', iface, 'root', 'handle', '1:', 'htb', 'default', '1'),
    tc('class', 'add', 'dev', iface, 'parent', '1:', 'classid', '1:1', 'htb', 'rate', all?.rate ?? UNLIMITED),
  ];
  if (all?.netem) {
    commands.push(
      tc('qdisc', 'add', 'dev', iface, 'parent', '1:1', 'handle', '100:', 'netem', ...netemArgs(all.netem)),
    );
    mechanisms.add('netem');
  }
  perClient.forEach((c, i) => {
    const leaf = clientClass(iface, c, (16 + i).toString(16));
    commands.push(...leaf.commands);
    leaf.mechanisms.forEach((m) => mechanisms.add(m));
  });
  return { commands, mechanisms: [...mechanisms] };
}

/** Class 1:<minor> for one client's address, picked by a u32 filter; a netem or a short pfifo as its leaf. */
function clientClass(iface: string, c: ShapeClass, minor: string): TcPlan {
  const match = c.match as { field: 'dst' | 'src'; ip: string };
  const classId = `1:${minor}`;
  const commands = [
    tc('class', 'add', 'dev', iface, 'parent', '1:', 'classid', classId, 'htb', 'rate', c.rate ?? UNLIMITED),
    tc('filter', 'add', 'dev', iface, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32').concat([
      'match',
      'ip',
      match.field,
      `${match.ip}/32`,
      'flowid',
      classId,
    ]),
  ];
  const leaf = tc('qdisc', 'add', 'dev', iface, 'parent', classId, 'handle', `${minor}0:`);
  if (c.netem) return { commands: [...commands, [...leaf, 'netem', ...netemArgs(c.netem)]], mechanisms: ['netem'] };
  if (c.queuePackets !== undefined)
    return { commands: [...commands, [...leaf, 'pfifo', 'limit', String(c.queuePackets)]], mechanisms: ['pfifo'] };
  return { commands, mechanisms: [] };
}

// A full datagram is a 2076-byte IP packet; tbf counts its queue in bytes.
const DATAGRAM_PACKET_BYTES = 2076;

function tbfArgs(rate: string, queuePackets?: number): string[] {
  // A bucket of many full frames: tbf never passes a packet larger than its bucket.
  const queue =
    queuePackets === undefined ? ['latency', '400ms'] : ['limit', String(queuePackets * DATAGRAM_PACKET_BYTES)];
  return ['tbf', 'rate', rate, 'burst', '64kb', ...queue];
}

export function netemArgs(n: NetemSpec): string[] {
  const args: string[] = [];
  if (n.delayMs !== undefined || n.jitterMs !== undefined || n.reorderPercent !== undefined) {
    // reorder only works on delayed packets: give it a delay if none was set.
    args.push('delay', `${n.delayMs ?? 10}ms`);
    if (n.jitterMs !== undefined) args.push(`${n.jitterMs}ms`);
  }
  if (n.reorderPercent !== undefined) args.push('reorder', `${n.reorderPercent}%`);
  if (n.duplicatePercent !== undefined) args.push('duplicate', `${n.duplicatePercent}%`);
  if (n.corruptPercent !== undefined) args.push('corrupt', `${n.corruptPercent}%`);
  return args;
}

/** The features a NetemSpec asks for, to name them in an error. */
export function netemFeatures(n: NetemSpec): string[] {
  const names: Array<[keyof NetemSpec, string]> = [
    ['delayMs', 'delay'],
    ['jitterMs', 'jitter'],
    ['duplicatePercent', 'duplication'],
    ['reorderPercent', 'reordering'],
    ['corruptPercent', 'corruption'],
  ];
  return names.filter(([k]) => n[k] !== undefined).map(([, name]) => name);
}
