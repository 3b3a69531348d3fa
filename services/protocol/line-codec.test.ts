import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineDecoder, encodeLine } from './line-codec.ts';

const lines = (decoder: LineDecoder, ...chunks: string[]) =>
  chunks.flatMap((c) => decoder.push(Buffer.from(c, 'utf8')));

describe('LineDecoder', () => {
  it('splits on \\n, accepts \\r\\n and keeps an unfinished line for later', () => {
    const d = new LineDecoder();
    expect(lines(d, 'get_users\r\nconn', 'ect|al', 'ice\n')).toEqual([
      { kind: 'line', text: 'get_users' },
      { kind: 'line', text: 'connect|alice' },
    ]);
    expect(d.pendingBytes).toBe(0);
    lines(d, 'msg_all|hé');
    expect(d.pendingText).toBe('msg_all|hé');
    expect(d.pendingBytes).toBe(11);
  });

  it('reports an overlong line once, skips it and carries on with the next line', () => {
    const d = new LineDecoder(10);
    const events = lines(d, 'x'.repeat(8), 'x'.repeat(8), 'x'.repeat(100), 'yy\nget_users\n');
    expect(events).toEqual([
      { kind: 'overlong', bytes: 16 },
      { kind: 'line', text: 'get_users' },
    ]);
    expect(d.pendingBytes).toBe(0);
  });

  it('never buffers more than its limit, however long the line', () => {
    const d = new LineDecoder(1024);
    for (let i = 0; i < 100; i++) d.push(Buffer.alloc(4096, 0x41));
    expect(d.pendingBytes).toBeLessThanOrEqual(1024);
  });

  it('decodes a UTF-8 character split across chunks', () => {
    const bytes = encodeLine('msg_all|héllo ✓');
    const d = new LineDecoder();
    const events = [...bytes].flatMap((b) => d.push(Uint8Array.of(b)));
    expect(events).toEqual([{ kind: 'line', text: 'msg_all|héllo ✓' }]);
  });

  it('yields the same lines however the stream is split (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\n') && !s.includes('\r'))),
        fc.array(fc.nat(), { maxLength: 20 }),
        (texts, cuts) => {
          const stream = Buffer.concat(texts.map(encodeLine));
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const d = new LineDecoder();
          const out: string[] = [];
          let from = 0;
          for (const at of [...points, stream.length]) {
            for (const e of d.push(stream.subarray(from, at))) if (e.kind === 'line') out.push(e.text);
            from = at;
          }
          expect(out).toEqual(texts);
        },
      ),
    );
  });
});
