import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureBuilder } from './testing/capture-builder.ts';

/**
 * Runs the Wireshark dissector in docs/wireshark/ with tshark over a pcap this
 * test writes, and checks the fields it shows. Needs tshark built with Lua
 * (Debian: `apt-get install tshark`, which .ci/run installs); without it the test is skipped, saying why.
 * The dissector on real lab pcaps (and one rewritten to a colliding port) is checked in scenarios/views.test.ts.
 */
const DISSECTOR = fileURLToPath(new URL('../../docs/wireshark/udp_chat_lab.lua', import.meta.url));

function tsharkMissing(): string | null {
  const r = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'tshark is not installed (apt-get install tshark)';
  if (!/with Lua/i.test(r.stdout)) return 'this tshark was built without Lua';
  return null;
}
const missing = tsharkMissing();

const server = { ip: '10.77.0.10', port: 55003 };
const client = { ip: '10.77.1.20', port: 38000 };
const serverUdp = { ip: '10.77.0.10', port: 41000 };
const clientUdp = { ip: '10.77.1.20', port: 50123 };
// A second, one-datagram download: its only datagram is short, so only the `udp|` line identifies it.
const serverUdp2 = { ip: '10.77.0.10', port: 41001 };
const clientUdp2 = { ip: '10.77.1.20', port: 50124 };

function capture(): Buffer {
  const b = new CaptureBuilder()
    .connect(0, client, server)
    .line(1, client, server, 'connect|alice')
    .line(2, server, client, 'connected')
    .line(3, client, server, 'download|q.txt')
    .line(4, server, client, '|6')
    .line(5, client, server, 'udp|50123')
    // 12,022 bytes: five full datagrams (each IP-fragmented on a 1500-byte link) and a short last one
    .datagram(6, serverUdp, clientUdp, 0)
    .datagram(7, serverUdp, clientUdp, 2)
    // a resend line split across two TCP segments
    .bytes(8, client, server, Buffer.from('resen'))
    .bytes(9, client, server, Buffer.from('d|1|2\n'))
    .datagram(10, serverUdp, clientUdp, 1)
    .datagram(11, serverUdp, clientUdp, 2)
    // two lines in one segment, then one that ends in the next segment with a \r\n
    .bytes(12, client, server, Buffer.from('proceed\nget_users\nresend|'))
    .bytes(13, client, server, Buffer.from('4|3\r\n'))
    .bytes(
      14,
      server,
      client,
      Buffer.from('users|alice|bob\nbob is connected\nerror|resend: 1 seqs were never sent and are ignored\n'),
    )
    .datagram(15, serverUdp, clientUdp, 3)
    .datagram(16, serverUdp, clientUdp, 4)
    .datagram(17, serverUdp, clientUdp, 5, 1807)
    .line(18, client, server, 'stop')
    .line(19, server, client, 'User alice downloaded 100% out of file. Last byte is: 10')
    .line(20, client, server, 'download|hello.txt')
    .line(21, server, client, '|1')
    .line(22, client, server, 'udp|50124')
    .datagram(23, serverUdp2, clientUdp2, 0, 13)
    // Not ours: DNS and an unannounced short flow whose 5th byte happens to be ':'
    .udp(
      24,
      { ip: '10.77.1.20', port: 53000 },
      { ip: '10.77.0.53', port: 53 },
      Buffer.from('\x12\x34\x01\x00:\x00\x01\x00\x00'),
    )
    .udp(25, { ip: '10.77.1.20', port: 40000 }, { ip: '10.77.0.99', port: 40001 }, Buffer.from('abcd:hello'));
  return b.pcap();
}

interface Row {
  frame: number;
  commands: string[];
  resendSeqs: number[];
  count: string;
  udpPort: string;
  seq: string;
  dataLen: string;
  info: string;
}

/** tshark's fields for the frames a filter keeps, two passes so that links point forward too. */
export function tsharkFields(pcap: string, filter: string, fields: string[], extra: string[] = []): string[][] {
  const args = ['-2', '-n', '-r', pcap, '-X', `lua_script:${DISSECTOR}`, ...extra, '-Y', filter, '-T', 'fields'];
  const format = ['-E', 'separator=/t', '-E', 'aggregator=,', '-E', 'occurrence=a'];
  const r = spawnSync('tshark', [...args, ...format, ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  // tshark reports Lua errors on stderr (and in the tree) but still exits 0
  const stderr = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/Running as user/.test(l));
  expect(stderr, 'tshark stderr').toEqual([]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

function tshark(pcap: string, filter: string): Row[] {
  const fields = [
    'frame.number',
    'udpchat.command',
    'udpchat.resend_seq',
    'udpchat.count',
    'udpchat.udp_port',
    'udpchat.seq',
    'udpchat.data_len',
    '_ws.col.Info',
  ];
  const list = (s: string) => (s === '' ? [] : s.split(','));
  return tsharkFields(pcap, filter, fields).map(
    ([frame, commands, resendSeqs, count, udpPort, seq, dataLen, info]) => ({
      frame: Number(frame),
      commands: list(commands),
      resendSeqs: list(resendSeqs).map(Number),
      count,
      udpPort,
      seq,
      dataLen,
      info,
    }),
  );
}

describe.skipIf(missing !== null)(
  `Wireshark dissector docs/wireshark/udp_chat_lab.lua${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let dir = '';
    let pcap = '';
    let rows: Row[] = [];
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'udpchat-dissector-'));
      pcap = join(dir, 'conversation.pcap');
      writeFileSync(pcap, capture());
      rows = tshark(pcap, 'udpchat');
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('splits the TCP stream into lines, across segments and several per segment, and names each command', () => {
      const lines = rows.filter((r) => r.seq === '');
      expect(lines.map((r) => r.commands.join(' '))).toEqual([
        'connect',
        'connected',
        'download',
        'download_start',
        'udp',
        'resend', // reassembled from 'resen' + 'd|1|2\n'
        'proceed get_users', // the segment's last, unfinished line waits for the next one
        'resend',
        'users presence error',
        'stop',
        'download_done',
        'download',
        'download_start',
        'udp',
      ]);
      expect(lines.map((r) => r.info)).toEqual([
        'connect|alice',
        'connected',
        'download|q.txt',
        '|6',
        'udp|50123',
        'resend|1|2',
        'proceed; get_users',
        'resend|4|3',
        'users|alice|bob; bob is connected; error|resend: 1 seqs were never sent and are ignored',
        'stop',
        'User alice downloaded 100% out of file. Last byte is: 10',
        'download|hello.txt',
        '|1',
        'udp|50124',
      ]);
    });

    it('gives the resend seqs, |N and the UDP port as numbers', () => {
      expect(rows.filter((r) => r.resendSeqs.length > 0).map((r) => r.resendSeqs)).toEqual([
        [1, 2],
        [4, 3],
      ]);
      expect(rows.map((r) => r.count).filter((c) => c !== '')).toEqual(['6', '1']);
      expect(rows.map((r) => r.udpPort).filter((p) => p !== '')).toEqual(['50123', '50124']);
    });

    it('finds the download datagrams, the short last one and a lone short one announced by udp|<port>, and nothing else on UDP', () => {
      const datagrams = rows.filter((r) => r.seq !== '');
      expect(datagrams.map((r) => [r.seq, r.dataLen, r.info])).toEqual([
        ['0', '2043', 'seq 0, 2043 bytes [download 1: q.txt]'],
        ['2', '2043', 'seq 2, 2043 bytes [download 1: q.txt]'],
        ['1', '2043', 'seq 1, 2043 bytes [again] [download 1: q.txt]'],
        ['2', '2043', 'seq 2, 2043 bytes [again] [download 1: q.txt]'],
        ['3', '2043', 'seq 3, 2043 bytes [download 1: q.txt]'],
        ['4', '2043', 'seq 4, 2043 bytes [download 1: q.txt]'],
        ['5', '1807', 'seq 5, 1807 bytes [download 1: q.txt]'],
        ['0', '13', 'seq 0, 13 bytes [download 2: hello.txt]'],
      ]);
      expect(tshark(pcap, 'udp.port == 53 || udp.port == 40001').map((r) => r.info)).not.toContain(
        expect.stringMatching(/^seq /),
      );
      expect(tshark(pcap, 'udp && !udpchat')).toHaveLength(2);
    });

    it('answers the display filters the README suggests', () => {
      expect(tshark(pcap, 'udpchat.command == "resend"').map((r) => r.info)).toEqual(['resend|1|2', 'resend|4|3']);
      expect(tshark(pcap, 'udpchat.resend_seq == 3').map((r) => r.info)).toEqual(['resend|4|3']);
      expect(tshark(pcap, 'udpchat.seq == 3').map((r) => r.info)).toEqual(['seq 3, 2043 bytes [download 1: q.txt]']);
      expect(tshark(pcap, 'udpchat.repeat').map((r) => r.seq)).toEqual(['2']);
    });
  },
);

/**
 * Two clients download at once. alice's UDP port is 44818, which Wireshark gives to EtherNet/IP; her seq 1
 * is asked for and resent, her seq 4 sent again without a request. bob's seq 1 never shows before his
 * `proceed`. Newer optional lines (`ack|…`, `checksum|…`) come and go, and one real EtherNet/IP-looking
 * datagram to another host's 44818 must stay EtherNet/IP.
 */
function twoDownloads(): Buffer {
  const alice = { ip: '10.77.1.20', port: 38000 };
  const bob = { ip: '10.77.1.21', port: 38001 };
  const aliceUdp = { ip: alice.ip, port: 44818 };
  const bobUdp = { ip: bob.ip, port: 50200 };
  const sender = { ip: server.ip, port: 41000 };
  const sender2 = { ip: server.ip, port: 41001 };
  const enip = Buffer.alloc(24);
  enip.writeUInt16LE(0x0063, 0); // ListIdentity, a command EtherNet/IP knows
  return new CaptureBuilder()
    .connect(0, alice, server)
    .connect(0, bob, server)
    .line(1, alice, server, 'download|q.txt') // 7
    .line(2, server, alice, '|6') // 8
    .line(3, bob, server, 'download|b.bin') // 9
    .line(4, server, bob, '|4') // 10
    .line(5, alice, server, 'udp|44818') // 11
    .line(6, bob, server, 'udp|50200') // 12
    .datagram(7, sender, aliceUdp, 0, 100) // 13
    .datagram(8, sender, aliceUdp, 1, 100) // 14
    .datagram(9, sender2, bobUdp, 0, 100) // 15
    .datagram(10, sender, aliceUdp, 2, 100) // 16
    .line(11, alice, server, 'ack|3') // 17
    .line(12, alice, server, 'resend|1') // 18
    .datagram(13, sender, aliceUdp, 1, 100) // 19: the answer
    .line(14, alice, server, 'proceed') // 20
    .line(15, bob, server, 'proceed') // 21: bob never showed seq 1
    .datagram(16, sender, aliceUdp, 3, 100) // 22
    .datagram(17, sender, aliceUdp, 4, 100) // 23
    .datagram(18, sender, aliceUdp, 4, 100) // 24: again, unasked
    .datagram(19, sender, aliceUdp, 5, 100) // 25
    .datagram(20, sender2, bobUdp, 2, 100) // 26
    .datagram(21, sender2, bobUdp, 3, 100) // 27
    .line(22, alice, server, 'checksum|q.txt') // 28
    .line(23, server, alice, `checksum|sha256|${'ab'.repeat(32)}`) // 29
    .line(24, server, alice, 'User alice downloaded 100% out of file. Last byte is: 5') // 30
    .udp(25, { ip: '10.77.1.30', port: 40000 }, { ip: '10.77.0.99', port: 44818 }, enip) // 31
    .pcap();
}

/** A download in blocks of 8967 bytes, agreed with `blksize|`, on a link with 9000-byte frames. */
function jumboDownload(): Buffer {
  const udp = { ip: client.ip, port: 47000 };
  const sender = { ip: server.ip, port: 41002 };
  return new CaptureBuilder({ mtu: 9000 })
    .connect(0, client, server)
    .line(1, client, server, 'blksize|8967')
    .line(2, server, client, 'blksize|8967')
    .line(3, client, server, 'download|big.bin')
    .line(4, server, client, '|3')
    .line(5, client, server, 'udp|47000')
    .datagram(6, sender, udp, 0, 8967)
    .datagram(7, sender, udp, 1, 8967)
    .datagram(8, sender, udp, 2, 500)
    .pcap();
}

/** `proceed` split in two segments that arrive out of order: `ceed\n` first, then `pro`. */
function outOfOrderLine(): Buffer {
  const b = new CaptureBuilder().connect(0, client, server).line(1, client, server, 'download|q.txt');
  const at = b.seqOf(client, server);
  return b
    .bytes(2, client, server, Buffer.from('ceed\n'), at + 3)
    .bytes(3, client, server, Buffer.from('pro'), at)
    .line(4, client, server, 'stop')
    .pcap();
}

describe.skipIf(missing !== null)(
  `the dissector never loses a download${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let dir = '';
    const file = (name: string, bytes: Buffer) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'udpchat-dissector-'));
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("finds datagrams on a port Wireshark gives to another protocol, from the download's udp| line, and leaves that protocol the rest", () => {
      const pcap = file('two.pcap', twoDownloads());
      const rows = tsharkFields(pcap, 'udp', ['frame.number', '_ws.col.Protocol', 'udpchat.seq', 'udpchat.download']);
      expect(rows.map(([frame, proto, seq, download]) => `${frame} ${proto} ${seq} ${download}`)).toEqual([
        '13 UDPCHAT 0 1',
        '14 UDPCHAT 1 1',
        '15 UDPCHAT 0 2',
        '16 UDPCHAT 2 1',
        '19 UDPCHAT 1 1',
        '22 UDPCHAT 3 1',
        '23 UDPCHAT 4 1',
        '24 UDPCHAT 4 1',
        '25 UDPCHAT 5 1',
        '26 UDPCHAT 2 2',
        '27 UDPCHAT 3 2',
        '31 ENIP  ',
      ]);
    });

    it('tells downloads apart: a filter follows one download, its lines and its datagrams', () => {
      const pcap = file('two.pcap', twoDownloads());
      const seq = (filter: string) => tsharkFields(pcap, filter, ['frame.number']).map(([f]) => Number(f));
      expect(seq('udpchat.seq == 0')).toEqual([13, 15]);
      expect(seq('udpchat.seq == 0 && udpchat.download == 2')).toEqual([15]);
      expect(seq('udpchat.download.file == "b.bin"')).toEqual([10, 12, 15, 21, 26, 27]);
      expect(seq('udpchat.download.client == "10.77.1.20:44818"')).toEqual([13, 14, 16, 19, 22, 23, 24, 25]);
    });

    it('links a resend request and the datagram that answers it, both ways, and flags what nobody asked for', () => {
      const pcap = file('two.pcap', twoDownloads());
      const fields = ['frame.number', 'udpchat.request_in', 'udpchat.resent_in', 'udpchat.resend'];
      const rows = tsharkFields(pcap, 'udpchat.request_in || udpchat.resent_in || udpchat.resend', fields);
      expect(rows).toEqual([
        ['18', '', '19', ''],
        ['19', '18', '', '1'],
        ['24', '', '', '1'],
      ]);
      expect(tsharkFields(pcap, 'udpchat.unasked.expert', ['frame.number'])).toEqual([['24']]);
    });

    it('warns when a part ends with a seq this capture never showed', () => {
      const pcap = file('two.pcap', twoDownloads());
      expect(tsharkFields(pcap, 'udpchat.missing.expert', ['frame.number', 'udpchat.missing_seq'])).toEqual([
        ['21', '1'],
      ]);
    });

    it('shows optional lines it does not know in detail (ack|…, checksum|…) as lines, never as errors', () => {
      const pcap = file('two.pcap', twoDownloads());
      const rows = tsharkFields(pcap, 'frame.number == 17 || frame.number == 28 || frame.number == 29', [
        'udpchat.command',
        '_ws.col.Info',
        '_ws.expert.severity',
      ]);
      expect(rows).toEqual([
        ['ack', 'ack|3', ''],
        ['checksum', 'checksum|q.txt', ''],
        ['checksum', `checksum|sha256|${'ab'.repeat(32)}`, ''],
      ]);
    });

    it('follows a download in the block blksize| agreed on: every datagram found, its file offset in that block, none too long', () => {
      const pcap = file('jumbo.pcap', jumboDownload());
      const rows = tsharkFields(pcap, 'udpchat', [
        'frame.number',
        'udpchat.command',
        'udpchat.seq',
        'udpchat.file_offset',
        '_ws.expert.severity',
      ]);
      expect(rows.filter(([, command]) => command === 'blksize')).toHaveLength(2);
      expect(
        rows.filter(([, , seq]) => seq !== '').map(([, , seq, offset, severity]) => [seq, offset, severity]),
      ).toEqual([
        ['0', '0', ''],
        ['1', '8967', ''],
        ['2', '17934', ''],
      ]);
    });

    it('never shows the end of a line cut by an out-of-order segment as a line; with out-of-order reassembly, the whole line', () => {
      const pcap = file('ooo.pcap', outOfOrderLine());
      const lines = (extra: string[] = []) =>
        tsharkFields(pcap, 'udpchat.line', ['udpchat.line'], extra).map(([l]) => l);
      expect(lines()).toEqual(['download|q.txt', 'stop']);
      expect(tsharkFields(pcap, 'udpchat.hole.expert', ['frame.number'])).toEqual([['5']]);
      expect(lines(['-o', 'tcp.reassemble_out_of_order:TRUE'])).toEqual(['download|q.txt', 'proceed', 'stop']);
    });
  },
);
