import { describe, expect, it } from 'vitest';
import { decodeCapture } from './decode-capture.ts';
import { readPcap } from './read-pcap.ts';
import { CaptureBuilder, T0_US } from './testing/capture-builder.ts';
import { ethernetFrame, ipv4Fragments, udpSegment } from './testing/frames.ts';
import { writePcap } from './testing/pcap-writer.ts';
import { PcapngWriter } from './testing/pcapng-writer.ts';

const server = { ip: '10.77.0.10', port: 55000 };
const serverUdp = { ip: '10.77.0.10', port: 41000 };
const client = { ip: '10.77.1.20', port: 38000 };
const clientUdp = { ip: '10.77.1.20', port: 50123 };

async function decode(pcap: Buffer) {
  return decodeCapture(await readPcap(pcap));
}

function conversation(linkType?: 1 | 113 | 276) {
  return new CaptureBuilder({ linkType })
    .connect(0, client, server)
    .line(1, client, server, 'download|q.txt')
    .line(2, server, client, '|2')
    .line(3, client, server, 'udp|50123')
    .datagram(4, serverUdp, clientUdp, 0)
    .datagram(5, serverUdp, clientUdp, 1, 100);
}

describe('decodeCapture', () => {
  it.each([1, 113, 276] as const)('decodes TCP lines and download datagrams on link type %i', async (linkType) => {
    const d = await decode(conversation(linkType).pcap());
    expect(d.linkType).toBe(linkType);
    expect(d.controlLines.map((l) => `${l.from.ip}>${l.to.ip} ${l.text}`)).toEqual([
      '10.77.1.20>10.77.0.10 download|q.txt',
      '10.77.0.10>10.77.1.20 |2',
      '10.77.1.20>10.77.0.10 udp|50123',
    ]);
    expect(d.controlLines[1].tsUs).toBe(T0_US + 2000);
    expect(d.udp.map((u) => [u.src, u.dst, u.datagram, u.fragments])).toEqual([
      [serverUdp, clientUdp, { seq: 0, dataLength: 2043 }, 2],
      [serverUdp, clientUdp, { seq: 1, dataLength: 100 }, 1],
    ]);
    expect(d.directions).toHaveLength(2);
    expect(d.stats).toMatchObject({ skipped: 0, incompleteFragments: 0 });
  });

  it('reassembles fragments that arrive out of order and duplicated, at the last fragment', async () => {
    const payload = Buffer.concat([Buffer.from([0, 0, 0, 9, 0x3a]), Buffer.alloc(4000, 7)]);
    const seg = udpSegment({
      src: serverUdp.ip,
      dst: clientUdp.ip,
      srcPort: serverUdp.port,
      dstPort: clientUdp.port,
      payload,
    });
    const [f0, f1, f2] = ipv4Fragments({ src: serverUdp.ip, dst: clientUdp.ip, protocol: 17, id: 4242, payload: seg });
    const d = await decode(writePcap([f2, f0, f0, f1].map((p, i) => ({ tsUs: T0_US + i, frame: ethernetFrame(p) }))));
    expect(d.udp).toHaveLength(1);
    expect(d.udp[0]).toMatchObject({ tsUs: T0_US + 3, fragments: 4 });
    // 4000 bytes of data: a datagram of a download whose block was agreed larger (blksize|).
    expect(d.udp[0].datagram?.seq).toBe(9);
    expect(d.udp[0].payload.equals(payload)).toBe(true);
  });

  it('keeps packets with a reused IP id apart once the first is complete, and counts one left incomplete', async () => {
    const seg = (n: number) =>
      udpSegment({ src: serverUdp.ip, dst: clientUdp.ip, srcPort: 1, dstPort: 2, payload: Buffer.alloc(3000, n) });
    const a = ipv4Fragments({ src: serverUdp.ip, dst: clientUdp.ip, protocol: 17, id: 5, payload: seg(1) });
    const b = ipv4Fragments({ src: serverUdp.ip, dst: clientUdp.ip, protocol: 17, id: 5, payload: seg(2) });
    const frames = [...a, ...b, b[0]].map((p, i) => ({ tsUs: T0_US + i, frame: ethernetFrame(p) }));
    const d = await decode(writePcap(frames));
    expect(d.udp.map((u) => u.payload[0])).toEqual([1, 2]);
    expect(d.stats.incompleteFragments).toBe(1);
  });

  it('refuses a capture none of whose link types it can decode, naming it', async () => {
    await expect(
      decode(writePcap([{ tsUs: T0_US, frame: Buffer.alloc(40) }], { linkType: 105 })),
    ).rejects.toMatchObject({
      code: 'LAB_ERR_PCAP_LINKTYPE',
      message: expect.stringContaining('link-layer type 105 is not supported'),
    });
  });

  it('numbers packets as Wireshark does: a reassembled datagram and a line carry the frame that completed them', async () => {
    const d = await decode(conversation().pcap());
    // SYN, SYN-ACK, ACK, three lines, then a two-fragment datagram and a short one.
    expect(d.controlLines.map((l) => l.frame)).toEqual([4, 5, 6]);
    expect(d.udp.map((u) => [u.frame, u.datagram?.seq])).toEqual([
      [8, 0],
      [9, 1],
    ]);
  });

  it('never decodes a packet the snap length cut: no short datagram, no line spliced over the hole', async () => {
    const b = conversation();
    const frames = b.line(5, client, server, 'proceed').line(6, client, server, 'stop').frames();
    // Cut the first fragment of seq 0 and the `proceed` segment to 54 bytes, as `tcpdump -s 54` would.
    const cut = (i: number) => ({
      ...frames[i],
      frame: frames[i].frame.subarray(0, 54),
      originalLength: frames[i].frame.length,
    });
    const pcap = writePcap(
      frames.map((f, i) => (i === 6 || i === 9 ? cut(i) : f)),
      { snapLength: 54 },
    );
    const d = await decode(pcap);
    expect(d.stats.truncatedPackets).toBe(2);
    expect(d.udp.map((u) => u.datagram)).toEqual([{ seq: 1, dataLength: 100 }]);
    // The lines before the hole are whole; `proceed` was cut, and nothing after it is read as a line.
    expect(d.controlLines.map((l) => l.text)).toEqual(['download|q.txt', '|2', 'udp|50123']);
    expect(d.directions.find((x) => x.from.ip === client.ip)?.gap).toBe(true);
  });

  it('decodes pcapng with interfaces of different link types, and skips frames of an unknown one', async () => {
    const frames = conversation().frames();
    const other = { ...client, port: 38001 };
    const sll2 = new CaptureBuilder({ linkType: 276 }).connect(0, other, server).line(9, other, server, 'get_users');
    const ng = new PcapngWriter().interface({ linkType: 1 }).interface({ linkType: 276 }).interface({ linkType: 147 });
    for (const f of frames) ng.packet(0, BigInt(f.tsUs), f.frame);
    for (const f of sll2.frames()) ng.packet(1, BigInt(f.tsUs), f.frame);
    ng.packet(2, BigInt(T0_US), Buffer.from('private link type'));
    const d = decodeCapture(await readPcap(ng.bytes()));
    expect(d.format).toBe('pcapng');
    expect(d.controlLines.map((l) => l.text)).toEqual(['download|q.txt', '|2', 'udp|50123', 'get_users']);
    expect(d.udp).toHaveLength(2);
    expect(d.stats.unsupportedLinkTypes).toEqual([147]);
    expect(d.stats.skipped).toBe(1);
  });

  it('skips non-IPv4 frames and counts them', async () => {
    const arp = Buffer.alloc(60);
    arp.writeUInt16BE(0x0806, 12);
    const d = await decode(writePcap([{ tsUs: T0_US, frame: arp }]));
    expect(d.packets).toHaveLength(0);
    expect(d.stats.skipped).toBe(1);
  });

  it('keeps two connections on a reused 4-tuple apart', async () => {
    const pcap = new CaptureBuilder()
      .connect(0, client, server)
      .line(1, client, server, 'get_users')
      .connect(2, client, server, { client: 900_000, server: 7 })
      .line(3, client, server, 'get_list_file')
      .pcap();
    const d = await decode(pcap);
    expect(d.controlLines.map((l) => l.text)).toEqual(['get_users', 'get_list_file']);
    expect(d.directions.filter((x) => x.from.ip === client.ip)).toHaveLength(2);
  });
});
