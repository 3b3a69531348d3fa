import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPcap } from './read-pcap.ts';
import { writePcap } from './testing/pcap-writer.ts';
import { PcapngWriter } from './testing/pcapng-writer.ts';

const frame = { tsUs: 1_700_000_000_123_456, frame: Buffer.from('0123456789abcdef0123') };
const T_S = 1_700_000_000n;

describe('readPcap on classic pcap', () => {
  it('reads records, frame numbers and microsecond timestamps from a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pcap-'));
    const path = join(dir, 'a.pcap');
    await writeFile(path, writePcap([frame, { ...frame, tsUs: frame.tsUs + 7 }]));
    const raw = await readPcap(path);
    expect(raw).toMatchObject({ format: 'pcap', linkType: 1, truncatedTailBytes: 0, truncatedRecords: 0 });
    expect(raw.records.map((r) => [r.frame, r.tsUs])).toEqual([
      [1, 1_700_000_000_123_456],
      [2, 1_700_000_000_123_463],
    ]);
    expect(raw.records[0].data.toString()).toBe('0123456789abcdef0123');
  });

  it('reads big-endian pcap and nanosecond pcap in either byte order, cut to the microsecond', async () => {
    for (const bigEndian of [false, true]) {
      const raw = await readPcap(writePcap([frame], { nanosecond: true, bigEndian, linkType: 276 }));
      expect(raw.linkType).toBe(276);
      expect(raw.records[0].tsUs).toBe(frame.tsUs);
      expect(raw.records[0].linkType).toBe(276);
    }
    expect((await readPcap(writePcap([frame], { bigEndian: true }))).records[0].tsUs).toBe(frame.tsUs);
  });

  it('reports the bytes of a record cut short by a killed tcpdump', async () => {
    const whole = writePcap([frame, frame]);
    const raw = await readPcap(whole.subarray(0, whole.length - 5));
    expect(raw.records).toHaveLength(1);
    expect(raw.truncatedTailBytes).toBe(16 + frame.frame.length - 5);
  });

  it('counts records the snap length cut, keeping their lengths on the wire', async () => {
    const raw = await readPcap(writePcap([{ ...frame, originalLength: 1514 }, frame], { snapLength: 20 }));
    expect(raw.snapLength).toBe(20);
    expect(raw.truncatedRecords).toBe(1);
    expect(raw.records[0]).toMatchObject({ originalLength: 1514 });
  });

  it('rejects files that are neither pcap nor pcapng, files too short for a header, and missing files', async () => {
    await expect(readPcap(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))).rejects.toMatchObject({
      code: 'LAB_ERR_PCAP_FORMAT',
      message: expect.stringMatching(/not a pcap or pcapng file \(magic 0x47455420\)/),
    });
    await expect(readPcap(Buffer.alloc(10))).rejects.toThrow(/too short for a pcap or pcapng file header/);
    await expect(readPcap('/nonexistent/x.pcap')).rejects.toMatchObject({
      code: 'LAB_ERR_PCAP_UNREADABLE',
      message: '/nonexistent/x.pcap cannot be read: no such file',
    });
  });
});

describe('readPcap on pcapng', () => {
  it('reads enhanced packets with microsecond (default) and nanosecond resolution, on several interfaces', async () => {
    const ng = new PcapngWriter()
      .interface({ linkType: 1, name: 'eth0' })
      .interface({ linkType: 276, tsresol: 9, name: 'any' })
      .other(4) // name resolution block
      .packet(0, T_S * 1_000_000n + 123_456n, frame.frame)
      .packet(1, T_S * 1_000_000_000n + 123_456_789n, Buffer.from('sll2 frame'))
      .other(5); // interface statistics block
    const raw = await readPcap(ng.bytes(), 'x.pcapng');
    expect(raw).toMatchObject({ format: 'pcapng', linkType: 1, truncatedTailBytes: 0 });
    expect(raw.interfaces.map((i) => [i.linkType, i.name])).toEqual([
      [1, 'eth0'],
      [276, 'any'],
    ]);
    expect(raw.records.map((r) => [r.frame, r.interfaceId, r.linkType, r.tsUs, r.data.toString()])).toEqual([
      [1, 0, 1, 1_700_000_000_123_456, '0123456789abcdef0123'],
      [2, 1, 276, 1_700_000_000_123_456, 'sll2 frame'],
    ]);
  });

  it('reads big-endian sections, binary resolutions, time offsets, and a second section with its own interfaces', async () => {
    const ng = new PcapngWriter({ bigEndian: true })
      .interface({ tsresol: 0x80 | 20, tsoffset: 1_700_000_000 }) // 2^-20 s, counted from an offset
      .packet(0, 1n << 19n, Buffer.from('half a second'))
      .section({ bigEndian: false })
      .interface({ linkType: 113, tsresol: 3 }) // milliseconds
      .packet(0, T_S * 1000n + 5n, Buffer.from('ms'));
    const raw = await readPcap(ng.bytes());
    expect(raw.records.map((r) => [r.frame, r.tsUs, r.linkType])).toEqual([
      [1, 1_700_000_000_500_000, 1],
      [2, 1_700_000_000_005_000, 113],
    ]);
    expect(raw.interfaces).toHaveLength(2);
  });

  it('gives a simple packet block (no timestamp) the time before it, and counts it', async () => {
    const ng = new PcapngWriter()
      .interface({ snapLength: 8 })
      .packet(0, T_S * 1_000_000n, Buffer.from('12345678'), 60)
      .simplePacket(Buffer.from('abcdefgh'));
    const raw = await readPcap(ng.bytes());
    expect(raw.untimedRecords).toBe(1);
    expect(raw.records[1]).toMatchObject({ frame: 2, tsUs: 1_700_000_000_000_000, originalLength: 8 });
    expect(raw.truncatedRecords).toBe(1);
  });

  it('reports a file cut in the middle of a block, keeping every whole block before it', async () => {
    const whole = new PcapngWriter().interface().packet(0, 1n, frame.frame).packet(0, 2n, frame.frame).bytes();
    const raw = await readPcap(whole.subarray(0, whole.length - 9));
    expect(raw.records).toHaveLength(1);
    expect(raw.truncatedTailBytes).toBe(32 + 20 - 9);
  });

  it('rejects garbled blocks and packets of undescribed interfaces with a coded error', async () => {
    const bad = new PcapngWriter().interface().packet(0, 1n, frame.frame).bytes();
    bad.writeUInt32LE(7, bad.length - 4); // trailing length disagrees with the leading one
    await expect(readPcap(bad, 'bad.pcapng')).rejects.toMatchObject({
      code: 'LAB_ERR_PCAP_FORMAT',
      message: expect.stringMatching(/^bad\.pcapng: block at byte \d+ ends with a length other than its own/),
    });
    await expect(readPcap(new PcapngWriter().packet(3, 1n, frame.frame).bytes())).rejects.toThrow(
      /names interface 3, which the section has not described/,
    );
  });
});
