import { MAX_BLOCK_SIZE, MIN_BLOCK_SIZE } from './datagram.ts';

/** What a client may say on the control channel, parsed from one line. */
export type ClientCommand =
  | { type: 'connect'; name: string }
  | { type: 'disconnect' }
  | { type: 'get_users' }
  | { type: 'get_list_file' }
  | { type: 'msg_all'; text: string }
  | { type: 'msg'; text: string; target: string }
  | { type: 'download'; file: string }
  | { type: 'udp'; port: number }
  | { type: 'resend'; seqs: number[] }
  | { type: 'proceed' }
  | { type: 'stop' }
  | { type: 'ack'; report: AckReport }
  /**
   * `checksum|<file>`: asks for the digest of the file a download of this connection is sending
   * (or has just sent). An optional addition: a server that does not know it answers `error|…`.
   */
  | { type: 'checksum'; file: string }
  /**
   * `blksize|<bytes>`: asks for blocks of this many bytes of the file per datagram in this
   * connection's downloads from now on, instead of the seed's 2,043 (as TFTP's option of that
   * name, RFC 2348). An optional addition: the server answers `blksize|<bytes>` with what it will
   * use, at most what was asked; a server that does not know it answers `error|…` and the seed's
   * block stays.
   */
  | { type: 'blksize'; bytes: number };

/**
 * `ack|<received>[|<seq>|<usec>]…`: an optional progress report from a client during a
 * download, which the sender uses to find the path's rate. `received` counts the datagrams
 * that reached the client so far (duplicates too); each sample says that datagram `seq`
 * arrived at `usec` microseconds on the client's own monotonic clock (its origin is the
 * client's business: only differences matter). A server that does not know the line answers
 * `error|…` and the download goes on at a fixed rate.
 */
export interface AckReport {
  received: number;
  samples: AckSample[];
}
export interface AckSample {
  seq: number;
  usec: number;
}
export const MAX_ACK_SAMPLES = 8;

export type ParseResult =
  | { ok: true; command: ClientCommand }
  /** `verb` is the line's command word as read, so a reader can tell which command was malformed. */
  | { ok: false; reason: string; verb: string };
type Parsed = { ok: true; command: ClientCommand } | { ok: false; reason: string };

const BARE = new Set(['disconnect', 'get_users', 'get_list_file', 'proceed', 'stop'] as const);
type BareCommand = typeof BARE extends Set<infer T> ? T : never;
const MAX_SEQ = 0xffff_ffff;
const DECIMAL = /^\d{1,10}$/;
const MICROSECONDS = /^\d{1,16}$/;

const fail = (reason: string): Parsed => ({ ok: false, reason });
const ok = (command: ClientCommand): Parsed => ({ ok: true, command });

export function parseClientCommand(line: string): ParseResult {
  const bar = line.indexOf('|');
  const verb = bar === -1 ? line : line.slice(0, bar);
  const parsed = parseVerb(verb, bar === -1 ? null : line.slice(bar + 1));
  return parsed.ok ? parsed : { ...parsed, verb };
}

function parseVerb(verb: string, rest: string | null): Parsed {
  if (BARE.has(verb as BareCommand)) {
    return rest === null ? ok({ type: verb as BareCommand }) : fail(`${verb} takes no arguments`);
  }
  if (rest === null) return fail(verb === '' ? 'empty line' : `unknown command: ${truncate(verb)}`);
  switch (verb) {
    case 'connect':
      return ok({ type: 'connect', name: rest });
    case 'msg_all':
      return ok({ type: 'msg_all', text: rest });
    case 'msg': {
      // The text may hold '|' itself: the target is what follows the last one.
      const last = rest.lastIndexOf('|');
      if (last === -1) return fail('msg needs msg|<text>|<target>');
      return ok({ type: 'msg', text: rest.slice(0, last), target: rest.slice(last + 1) });
    }
    case 'download':
      return rest === '' ? fail('download needs a file name') : ok({ type: 'download', file: rest });
    case 'udp': {
      const port = parseDecimal(rest);
      if (port === null || port < 1 || port > 65_535)
        return fail(`udp needs a port from 1 to 65535, got ${truncate(rest)}`);
      return ok({ type: 'udp', port });
    }
    case 'resend': {
      const seqs: number[] = [];
      for (const field of rest.split('|')) {
        const seq = parseDecimal(field);
        if (seq === null || seq > MAX_SEQ) return fail(`resend needs sequence numbers, got ${truncate(field)}`);
        seqs.push(seq);
      }
      return ok({ type: 'resend', seqs });
    }
    case 'ack':
      return parseAck(rest);
    case 'checksum':
      return rest === '' ? fail('checksum needs a file name') : ok({ type: 'checksum', file: rest });
    case 'blksize': {
      const bytes = parseDecimal(rest);
      if (bytes === null || bytes < MIN_BLOCK_SIZE || bytes > MAX_BLOCK_SIZE)
        return fail(
          `blksize needs a block size from ${MIN_BLOCK_SIZE} to ${MAX_BLOCK_SIZE} bytes, got ${truncate(rest)}`,
        );
      return ok({ type: 'blksize', bytes });
    }
    default:
      return fail(`unknown command: ${truncate(verb)}`);
  }
}

export function formatClientCommand(command: ClientCommand): string {
  switch (command.type) {
    case 'connect':
      return `connect|${command.name}`;
    case 'msg_all':
      return `msg_all|${command.text}`;
    case 'msg':
      return `msg|${command.text}|${command.target}`;
    case 'download':
      return `download|${command.file}`;
    case 'checksum':
      return `checksum|${command.file}`;
    case 'blksize':
      return `blksize|${command.bytes}`;
    case 'udp':
      return `udp|${command.port}`;
    case 'resend':
      return ['resend', ...command.seqs].join('|');
    case 'ack':
      return ['ack', command.report.received, ...command.report.samples.flatMap((s) => [s.seq, s.usec])].join('|');
    default:
      return command.type;
  }
}

function parseAck(rest: string): Parsed {
  const [count, ...pairs] = rest.split('|');
  const received = parseDecimal(count);
  if (received === null) return fail(`ack needs a count of datagrams received, got ${truncate(count)}`);
  if (pairs.length % 2 !== 0 || pairs.length / 2 > MAX_ACK_SAMPLES) {
    return fail(`ack takes up to ${MAX_ACK_SAMPLES} <seq>|<usec> pairs after the count`);
  }
  const samples: AckSample[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const seq = parseDecimal(pairs[i]);
    const usec = MICROSECONDS.test(pairs[i + 1]) ? Number(pairs[i + 1]) : null;
    if (seq === null || seq > MAX_SEQ || usec === null)
      return fail(`ack samples are <seq>|<usec>, got ${truncate(pairs[i])}|${truncate(pairs[i + 1])}`);
    samples.push({ seq, usec });
  }
  return ok({ type: 'ack', report: { received, samples } });
}

function parseDecimal(text: string): number | null {
  return DECIMAL.test(text) ? Number(text) : null;
}

function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
