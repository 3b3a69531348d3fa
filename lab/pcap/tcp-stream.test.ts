import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { reassembleDirection, type TcpSegmentIn } from './tcp-stream.ts';

const a = { ip: '10.0.0.2', port: 40000 };
const b = { ip: '10.0.0.1', port: 55000 };
const ISN = 0xfffffff0; // close to the wrap, so sequence arithmetic is exercised

function seg(tsUs: number, offset: number, text: string): TcpSegmentIn {
  return { tsUs, seq: (ISN + 1 + offset) >>> 0, syn: false, payload: Buffer.from(text) };
}
const syn: TcpSegmentIn = { tsUs: 0, seq: ISN, syn: true, payload: Buffer.alloc(0) };

describe('reassembleDirection', () => {
  it('joins a line split across segments and stamps it with the completing segment', () => {
    const d = reassembleDirection(a, b, [
      syn,
      seg(10, 0, 'download|q.'),
      seg(20, 11, 'txt\nudp|4'),
      seg(30, 20, '0000\n'),
    ]);
    expect(d.lines.map((l) => [l.tsUs, l.text])).toEqual([
      [20, 'download|q.txt'],
      [30, 'udp|40000'],
    ]);
    expect(d.lines[0].from).toEqual(a);
    expect(d.trailing).toBe('');
  });

  it('puts out-of-order segments in sequence order and ignores retransmissions', () => {
    const d = reassembleDirection(a, b, [
      syn,
      seg(10, 5, 'proceed\n'), // arrives before the bytes it follows
      seg(20, 0, 'stop\n'),
      seg(30, 0, 'stop\n'), // a retransmission of delivered bytes
      seg(40, 3, 'p\npro'), // overlaps delivered bytes, adds nothing
      seg(50, 13, 'x'),
    ]);
    expect(d.lines.map((l) => [l.tsUs, l.text])).toEqual([
      [20, 'stop'],
      [20, 'proceed'],
    ]);
    expect(d.trailing).toBe('x');
    expect(d.gap).toBe(false);
  });

  it('strips a \\r before the \\n and decodes UTF-8 split between segments', () => {
    const bytes = Buffer.from('msg_all|héllo\r\n');
    const split = bytes.indexOf(0xa9); // inside the two-byte é
    const d = reassembleDirection(a, b, [
      syn,
      { ...seg(1, 0, ''), payload: bytes.subarray(0, split) },
      { ...seg(2, split, ''), payload: bytes.subarray(split) },
    ]);
    expect(d.lines.map((l) => l.text)).toEqual(['msg_all|héllo']);
  });

  it('without a SYN starts at the lowest sequence number seen, and flags a hole', () => {
    const d = reassembleDirection(a, b, [seg(1, 5, 'b\n'), seg(2, 0, 'aaaa\n'), seg(3, 20, 'late\n')]);
    expect(d.lines.map((l) => l.text)).toEqual(['aaaa', 'b']);
    expect(d.gap).toBe(true);
  });

  it('a retransmission re-segmented over held data adds only the new bytes', () => {
    const d = reassembleDirection(a, b, [
      syn,
      seg(10, 4, 'p'),
      seg(20, 4, 'p\nst'),
      seg(30, 0, 'stop\nsto'),
      seg(40, 6, 'top\n'),
    ]);
    expect(d.lines.map((l) => [l.tsUs, l.text])).toEqual([
      [30, 'stop'],
      [40, 'stop'],
    ]);
  });

  it('any segmentation, in any order, with duplicates and re-segmented retransmissions, gives the same lines', () => {
    const lineArb = fc.string({ unit: fc.constantFrom('a', 'é', '|', '7', ' ', '€'), maxLength: 12 });
    const cutsArb = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 8 }),
        cutsArb,
        cutsArb,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.infiniteStream(fc.nat()),
        (lines, cuts, retransmitCuts, picks, shuffle) => {
          const stream = Buffer.from(lines.map((l) => `${l}\n`).join(''));
          const cut = (sizes: number[]) => {
            const out: TcpSegmentIn[] = [];
            for (let at = 0, i = 0; at < stream.length; at += sizes[i++ % sizes.length]) {
              out.push({ ...seg(0, at, ''), payload: stream.subarray(at, at + sizes[i % sizes.length]) });
            }
            return out;
          };
          const segments = cut(cuts);
          // Retransmissions may be cut differently from the original (coalesced or split), overlapping it partly.
          const again = cut(retransmitCuts);
          for (const p of picks) segments.push(again[p % again.length], segments[p % segments.length]);
          const order = segments
            .map((s) => ({ s, k: shuffle.next().value }))
            .sort((x, y) => x.k - y.k)
            .map((x, i) => ({ ...x.s, tsUs: i + 1 }));
          const d = reassembleDirection(a, b, [syn, ...order]);
          expect(d.lines.map((l) => l.text)).toEqual(lines);
          expect(d.trailing).toBe('');
          expect(d.gap).toBe(false);
          // Each line is stamped no earlier than the previous one: it completes later in the stream.
          for (let i = 1; i < d.lines.length; i++) expect(d.lines[i].tsUs).toBeGreaterThanOrEqual(d.lines[i - 1].tsUs);
        },
      ),
      { numRuns: 300 },
    );
  });
});
