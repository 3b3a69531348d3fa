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
  | { type: 'stop' };

export type ParseResult = { ok: true; command: ClientCommand } | { ok: false; reason: string };

const BARE = new Set(['disconnect', 'get_users', 'get_list_file', 'proceed', 'stop'] as const);
type BareCommand = typeof BARE extends Set<infer T> ? T : never;
const MAX_SEQ = 0xffff_ffff;
const DECIMAL = /^\d{1,10}$/;

const fail = (reason: string): ParseResult => ({ ok: false, reason });
const ok = (command: ClientCommand): ParseResult => ({ ok: true, command });

export function parseClientCommand(line: string): ParseResult {
  const bar = line.indexOf('|');
  const verb = bar === -1 ? line : line.slice(0, bar);
  const rest = bar === -1 ? null : line.slice(bar + 1);
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
    case 'udp':
      return `udp|${command.port}`;
    case 'resend':
      return ['resend', ...command.seqs].join('|');
    default:
      return command.type;
  }
}

function parseDecimal(text: string): number | null {
  return DECIMAL.test(text) ? Number(text) : null;
}

function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
