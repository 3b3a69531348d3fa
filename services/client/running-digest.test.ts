import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunningDigest } from './running-digest.ts';

const CHUNK = 16;

/** A file of `size` bytes stored datagram by datagram in the given order, as the receiver does. */
function store(size: number, order: number[], forget?: number, readFails = false) {
  const file = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + (i >> 4)) & 0xff));
  const count = Math.ceil(size / CHUNK);
  const held = new Set<number>();
  const disk = Buffer.alloc(size);
  const digest = new RunningDigest(
    count,
    CHUNK,
    (seq) => (seq < count - 1 ? CHUNK : size - (count - 1) * CHUNK),
    (seq) => held.has(seq),
    async (offset, length) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (readFails) throw new Error('EIO');
      return disk.subarray(offset, offset + length);
    },
  );
  for (const seq of order) {
    if (held.has(seq)) continue;
    const data = file.subarray(seq * CHUNK, Math.min(size, (seq + 1) * CHUNK));
    data.copy(disk, seq * CHUNK);
    held.add(seq);
    digest.onStored(seq, data);
    if (seq === forget) digest.onForgotten(seq);
  }
  return { digest, expected: createHash('sha256').update(file).digest('hex') };
}

describe('running digest', () => {
  it("equals the file's SHA-256 whatever order the datagrams came in, duplicates included", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 * CHUNK }).chain((size) => {
          const count = Math.ceil(size / CHUNK);
          const seqs = Array.from({ length: count }, (_, i) => i);
          return fc.tuple(
            fc.constant(size),
            fc.shuffledSubarray(seqs, { minLength: count, maxLength: count }),
            fc.array(fc.integer({ min: 0, max: count - 1 }), { maxLength: 10 }),
          );
        }),
        async ([size, order, again]) => {
          const { digest, expected } = store(size, [...order, ...again]);
          expect(await digest.digest()).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('cannot tell once a hashed seq was given up, nor before every seq arrived', async () => {
    const count = 10;
    const all = Array.from({ length: count }, (_, i) => i);
    expect(await store(count * CHUNK, all, 3).digest.digest()).toBeNull();
    expect(await store(count * CHUNK, all.slice(0, -1)).digest.digest()).toBeNull();
  });

  it('cannot tell when reading back what arrived beyond a gap fails: the caller hashes the file', async () => {
    const count = 10;
    const gapLast = [...Array.from({ length: count }, (_, i) => i).filter((s) => s !== 2), 2];
    expect(await store(count * CHUNK, gapLast, undefined, true).digest.digest()).toBeNull();
    expect(await store(count * CHUNK, gapLast).digest.digest()).not.toBeNull();
  });
});
