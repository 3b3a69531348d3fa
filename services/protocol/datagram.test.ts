import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHUNK_SIZE, datagramCount, decodeDatagram, encodeDatagram, pauseBoundary } from './datagram.ts';

describe('datagram', () => {
  it('puts a 4-byte big-endian seq and a colon before the data', () => {
    const d = encodeDatagram(258, Buffer.from('ab'));
    expect([...d]).toEqual([0, 0, 1, 2, 0x3a, 0x61, 0x62]);
    expect(decodeDatagram(d)).toEqual({ seq: 258, data: Buffer.from('ab') });
  });

  it('rejects what is not a datagram', () => {
    expect(decodeDatagram(Buffer.from('abc'))).toBeNull();
    expect(decodeDatagram(Buffer.from([0, 0, 0, 1, 0x3b, 1]))).toBeNull();
    expect(decodeDatagram(Buffer.alloc(CHUNK_SIZE + 6, 0x3a))).toBeNull();
  });

  it('counts datagrams and the pause boundary as the protocol says', () => {
    expect(datagramCount(0)).toBe(0);
    expect(datagramCount(1)).toBe(1);
    expect(datagramCount(CHUNK_SIZE * 3)).toBe(3);
    expect(datagramCount(CHUNK_SIZE * 3 + 1)).toBe(4);
    expect(pauseBoundary(3, 50)).toBe(2);
    expect(pauseBoundary(1, 50)).toBe(1);
    expect(pauseBoundary(100, 29)).toBe(29);
    expect(pauseBoundary(10, 100)).toBe(10);
  });

  it('round-trips any seq and payload (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.uint8Array({ maxLength: CHUNK_SIZE }), (seq, data) => {
        const back = decodeDatagram(encodeDatagram(seq, data));
        expect(back?.seq).toBe(seq);
        expect(Buffer.from(back!.data).equals(Buffer.from(data))).toBe(true);
      }),
    );
  });
});
