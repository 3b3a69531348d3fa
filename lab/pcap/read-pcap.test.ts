import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPcap } from './read-pcap.ts';
import { pcapngPrefix, writePcap } from './testing/pcap-writer.ts';

const frame = { tsUs: 1_700_000_000_123_456, frame: Buffer.from('0123456789abcdef0123') };

describe('readPcap', () => {
  it('reads records and microsecond timestamps from a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pcap-'));
    const path = join(dir, 'a.pcap');
    await writeFile(path, writePcap([frame, { ...frame, tsUs: frame.tsUs + 7 }]));
    const raw = await readPcap(path);
    expect(raw.linkType).toBe(1);
    expect(raw.records.map((r) => r.tsUs)).toEqual([1_700_000_000_123_456, 1_700_000_000_123_463]);
    expect(raw.records[0].data.toString()).toBe('0123456789abcdef0123');
    expect(raw.truncatedTailBytes).toBe(0);
  });

  it('reads big-endian pcap too', async () => {
    const raw = await readPcap(writePcap([frame], { bigEndian: true, linkType: 276 }));
    expect(raw.linkType).toBe(276);
    expect(raw.records[0].tsUs).toBe(frame.tsUs);
  });

  it('reports the bytes of a record cut short by a killed tcpdump', async () => {
    const whole = writePcap([frame, frame]);
    const raw = await readPcap(whole.subarray(0, whole.length - 5));
    expect(raw.records).toHaveLength(1);
    expect(raw.truncatedTailBytes).toBe(16 + frame.frame.length - 5);
  });

  it('rejects pcapng with a coded error that says what to do', async () => {
    const err = await readPcap(Buffer.concat([pcapngPrefix(), Buffer.alloc(64)]), 'client.pcap').catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'LAB_ERR_PCAP_FORMAT' });
    expect(String(err)).toMatch(/client\.pcap is pcapng, not classic pcap.*tcpdump -w/);
  });

  it('rejects nanosecond pcap, in either byte order', async () => {
    for (const bigEndian of [false, true]) {
      await expect(readPcap(writePcap([frame], { nanosecond: true, bigEndian }))).rejects.toMatchObject({
        code: 'LAB_ERR_PCAP_FORMAT',
        message: expect.stringMatching(/nanosecond-resolution pcap; only microsecond pcap is supported/),
      });
    }
  });

  it('rejects files that are not pcap at all, and files too short for a header', async () => {
    await expect(readPcap(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))).rejects.toThrow(
      /not a pcap file \(magic 0x47455420\)/,
    );
    await expect(readPcap(Buffer.alloc(10))).rejects.toThrow(/too short for a pcap file header/);
  });
});
