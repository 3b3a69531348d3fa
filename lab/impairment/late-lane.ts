import { ethernetFrameBytes } from '../../services/protocol/block-size.ts';
import { CHUNK_SIZE, SEQ_BYTES } from '../../services/protocol/datagram.ts';
import type { Mechanism } from './impairment-spec.ts';
import type { TcPlan } from './tc-plan.ts';

/** The datagrams one client's flow holds back: matched by address and by the seq at the start of their payload. */
export interface LateLaneMatch {
  field: 'dst' | 'src';
  ip: string;
  seqs: number[];
}

export const DEFAULT_REORDER_DELAY_MS = 5;
// IPv4 header (20, no options in the lab) and UDP header (8): the payload, and the seq, start here.
const PAYLOAD_OFFSET = 20 + 8;
/** What one full datagram of the lab's block occupies in a qdisc on an Ethernet link (IP packet 2076 + Ethernet 14). */
const DATAGRAM_FRAME_BYTES = ethernetFrameBytes(CHUNK_SIZE);

/**
 * Two lanes on one router interface: an htb whose default class passes everything as it comes,
 * and a late class that u32 filters send the chosen datagrams to. With netem the late class
 * delays each of them by `delayMs`. Without it (this project's machines have no netem), a token
 * bucket does: the late lane holds one datagram's worth of tokens and refills at one datagram
 * per `delayMs`, and the seq just before each chosen one goes through it too. That one takes
 * the tokens and leaves at once; the chosen one waits `delayMs` for more, while every datagram
 * behind it overtakes it in the normal lane. Chosen seqs must then lie more than two
 * `delayMs` apart on the wire, or they queue behind each other and wait longer.
 */
export function lateLanePlan(
  iface: string,
  matches: readonly LateLaneMatch[],
  delayMs: number,
  netem: boolean,
): TcPlan {
  const tc = (...args: string[]) => ['tc', ...args];
  const commands = [
    tc('qdisc', 'replace', 'dev', iface, 'root', 'handle', '1:', 'htb', 'default', '1'),
    tc('class', 'add', 'dev', iface, 'parent', '1:', 'classid', '1:1', 'htb', 'rate', '10gbit'),
    tc('class', 'add', 'dev', iface, 'parent', '1:', 'classid', '1:2', 'htb', 'rate', '10gbit'),
  ];
  for (const match of matches) {
    const seqs = netem ? match.seqs : [...new Set(match.seqs.flatMap((seq) => (seq > 0 ? [seq - 1, seq] : [seq])))];
    for (const seq of seqs.sort((a, b) => a - b)) commands.push(tc(...seqFilter(iface, match, seq)));
  }
  const mechanisms: Mechanism[] = ['htb'];
  if (netem) {
    commands.push(tc('qdisc', 'add', 'dev', iface, 'parent', '1:2', 'handle', '20:', 'netem', 'delay', `${delayMs}ms`));
    mechanisms.push('netem');
  } else {
    const kbit = Math.round((DATAGRAM_FRAME_BYTES * 8) / delayMs);
    const burst = String(DATAGRAM_FRAME_BYTES + 100);
    commands.push(
      tc(
        'qdisc',
        'add',
        'dev',
        iface,
        'parent',
        '1:2',
        'handle',
        '20:',
        'tbf',
        'rate',
        `${kbit}kbit`,
        'burst',
        burst,
        'limit',
        '200000',
      ),
    );
    mechanisms.push('tbf');
  }
  return { commands, mechanisms };
}

function seqFilter(iface: string, match: LateLaneMatch, seq: number): string[] {
  return [
    'filter',
    'add',
    'dev',
    iface,
    'parent',
    '1:',
    'protocol',
    'ip',
    'prio',
    '1',
    'u32',
    'match',
    'ip',
    match.field,
    `${match.ip}/32`,
    'match',
    'ip',
    'protocol',
    '17',
    '0xff',
    'match',
    'u32',
    String(seq),
    '0xffffffff',
    'at',
    String(PAYLOAD_OFFSET),
    // The ':' after the seq: only this protocol's datagrams.
    'match',
    'u8',
    '0x3a',
    '0xff',
    'at',
    String(PAYLOAD_OFFSET + SEQ_BYTES),
    'flowid',
    '1:2',
  ];
}
