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
 * (Debian: `apt-get install tshark`); without it the test is skipped, which is
 * the case on CI, where .ci/run does not install it.
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
  const args = [
    '-n',
    '-r',
    pcap,
    '-X',
    `lua_script:${DISSECTOR}`,
    '-Y',
    filter,
    '-T',
    'fields',
    '-E',
    'separator=/t',
    '-E',
    'aggregator=,',
    '-E',
    'occurrence=a',
  ];
  const r = spawnSync('tshark', [...args, ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', timeout: 60_000 });
  // tshark reports Lua errors on stderr (and in the tree) but still exits 0
  const stderr = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/Running as user/.test(l));
  expect(stderr, 'tshark stderr').toEqual([]);
  expect(r.status, r.stderr).toBe(0);
  const list = (s: string) => (s === '' ? [] : s.split(','));
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [frame, commands, resendSeqs, count, udpPort, seq, dataLen, info] = l.split('\t');
      return {
        frame: Number(frame),
        commands: list(commands),
        resendSeqs: list(resendSeqs).map(Number),
        count,
        udpPort,
        seq,
        dataLen,
        info,
      };
    });
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
        ['0', '2043', 'seq 0, 2043 bytes'],
        ['2', '2043', 'seq 2, 2043 bytes'],
        ['1', '2043', 'seq 1, 2043 bytes'],
        ['2', '2043', 'seq 2, 2043 bytes [again]'],
        ['3', '2043', 'seq 3, 2043 bytes'],
        ['4', '2043', 'seq 4, 2043 bytes'],
        ['5', '1807', 'seq 5, 1807 bytes'],
        ['0', '13', 'seq 0, 13 bytes'],
      ]);
      expect(tshark(pcap, 'udp.port == 53 || udp.port == 40001').map((r) => r.info)).not.toContain(
        expect.stringMatching(/^seq /),
      );
      expect(tshark(pcap, 'udp && !udpchat')).toHaveLength(2);
    });

    it('answers the display filters the README suggests', () => {
      expect(tshark(pcap, 'udpchat.command == "resend"').map((r) => r.info)).toEqual(['resend|1|2', 'resend|4|3']);
      expect(tshark(pcap, 'udpchat.resend_seq == 3').map((r) => r.info)).toEqual(['resend|4|3']);
      expect(tshark(pcap, 'udpchat.seq == 3').map((r) => r.info)).toEqual(['seq 3, 2043 bytes']);
      expect(tshark(pcap, 'udpchat.repeat').map((r) => r.seq)).toEqual(['2']);
    });
  },
);
