import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, decodeDatagram } from '../../services/protocol/datagram.ts';
import { forgedDatagrams } from './forged-datagrams.ts';

describe('forged datagrams', () => {
  it('have the header and the length a datagram of that seq must have, and other bytes', () => {
    const size = 3 * CHUNK_SIZE + 10;
    const [first, last] = forgedDatagrams(size, [1, 3]).map((d) => decodeDatagram(d)!);
    expect(first.seq).toBe(1);
    expect(first.data.length).toBe(CHUNK_SIZE);
    expect(last.seq).toBe(3);
    expect(last.data.length).toBe(10);
    expect(Buffer.from(first.data).toString('latin1')).toMatch(/^FORGED BY THE ATTACKER FORGED/);
    expect(Buffer.from(last.data).toString('latin1')).toBe('FORGED BY ');
  });

  it('refuses a seq past the end of the file', () => {
    expect(() => forgedDatagrams(CHUNK_SIZE, [1])).toThrow(/past the end/);
  });
});
