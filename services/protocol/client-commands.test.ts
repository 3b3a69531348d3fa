import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatClientCommand, parseClientCommand, type ClientCommand } from './client-commands.ts';

const parsed = (line: string) => {
  const r = parseClientCommand(line);
  if (!r.ok) throw new Error(r.reason);
  return r.command;
};

describe('parseClientCommand', () => {
  it('parses every command of the protocol', () => {
    expect(parsed('connect|alice')).toEqual({ type: 'connect', name: 'alice' });
    expect(parsed('disconnect')).toEqual({ type: 'disconnect' });
    expect(parsed('get_users')).toEqual({ type: 'get_users' });
    expect(parsed('get_list_file')).toEqual({ type: 'get_list_file' });
    expect(parsed('msg_all|hi|there')).toEqual({ type: 'msg_all', text: 'hi|there' });
    expect(parsed('download|q.txt')).toEqual({ type: 'download', file: 'q.txt' });
    expect(parsed('udp|40000')).toEqual({ type: 'udp', port: 40000 });
    expect(parsed('resend|3|0|17')).toEqual({ type: 'resend', seqs: [3, 0, 17] });
    expect(parsed('proceed')).toEqual({ type: 'proceed' });
    expect(parsed('stop')).toEqual({ type: 'stop' });
    expect(parsed('checksum|q.txt')).toEqual({ type: 'checksum', file: 'q.txt' });
    expect(parsed('checksum|a|b.txt')).toEqual({ type: 'checksum', file: 'a|b.txt' });
    expect(parsed('blksize|8967')).toEqual({ type: 'blksize', bytes: 8967 });
    expect(parsed('ack|0')).toEqual({ type: 'ack', report: { received: 0, samples: [] } });
    expect(parsed('ack|12|11|1234567890123')).toEqual({
      type: 'ack',
      report: { received: 12, samples: [{ seq: 11, usec: 1234567890123 }] },
    });
  });

  it('takes the target of a private message from after the last |', () => {
    expect(parsed('msg|a|b|c|bob')).toEqual({ type: 'msg', text: 'a|b|c', target: 'bob' });
  });

  it.each([
    ['', 'empty line'],
    ['hello', 'unknown command'],
    ['get_users|x', 'takes no arguments'],
    ['msg|no target', 'msg needs'],
    ['udp|0', 'udp needs a port'],
    ['udp|65536', 'udp needs a port'],
    ['udp|abc', 'udp needs a port'],
    ['resend|1|-2', 'resend needs'],
    ['resend|', 'resend needs'],
    ['resend|99999999999', 'resend needs'],
    ['download|', 'download needs'],
    ['checksum|', 'checksum needs a file name'],
    ['checksum', 'unknown command: checksum'],
    ['blksize|511', 'blksize needs a block size from 512 to 65000 bytes'],
    ['blksize|65001', 'blksize needs a block size'],
    ['blksize|big', 'blksize needs a block size'],
    ['ack|', 'ack needs a count'],
    ['ack|5|3', 'pairs'],
    ['ack|5|3|x', 'ack samples'],
    ['ack|5|-1|7', 'ack samples'],
    [`ack|1${'|1|2'.repeat(9)}`, 'up to 8'],
  ])('refuses %j with a reason', (line, reason) => {
    const r = parseClientCommand(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('never throws, whatever the line (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (line) => void parseClientCommand(line)));
  });

  it('round-trips what it formats (property)', () => {
    const text = fc.string().filter((s) => !s.includes('\n'));
    const name = text.filter((s) => !s.includes('|'));
    const command: fc.Arbitrary<ClientCommand> = fc.oneof(
      name.map((n) => ({ type: 'connect' as const, name: n })),
      text.map((t) => ({ type: 'msg_all' as const, text: t })),
      text.filter((t) => t !== '').map((file) => ({ type: 'checksum' as const, file })),
      fc.record({ text, target: name }).map((m) => ({ type: 'msg' as const, ...m })),
      fc.integer({ min: 1, max: 65535 }).map((port) => ({ type: 'udp' as const, port })),
      fc.integer({ min: 512, max: 65_000 }).map((bytes) => ({ type: 'blksize' as const, bytes })),
      fc.array(fc.nat(), { minLength: 1 }).map((seqs) => ({ type: 'resend' as const, seqs })),
      fc
        .record({
          received: fc.nat(),
          samples: fc.array(fc.record({ seq: fc.nat(), usec: fc.maxSafeNat() }), { maxLength: 8 }),
        })
        .map((report) => ({ type: 'ack' as const, report })),
    );
    fc.assert(
      fc.property(command, (c) => {
        expect(parsed(formatClientCommand(c))).toEqual(c);
      }),
    );
  });
});
