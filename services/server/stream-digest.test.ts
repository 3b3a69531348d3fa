import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StreamDigest } from './stream-digest.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const file = randomBytes(300_000);
const readsOf = (calls: number[][]) => async (offset: number, length: number) => {
  calls.push([offset, length]);
  return file.subarray(offset, offset + length);
};

describe('the digest of a file as it is sent', () => {
  it('equals the SHA-256 of the file when fed in order, without reading anything more', async () => {
    const digest = new StreamDigest(file.length);
    for (let offset = 0; offset < file.length; offset += 2043) digest.add(offset, file.subarray(offset, offset + 2043));
    const reads: number[][] = [];
    expect(await digest.digest(readsOf(reads))).toBe(sha256(file));
    expect(reads).toEqual([]);
  });

  it('ignores repeated and out-of-order bytes, and reads only the rest from the file when asked', async () => {
    const digest = new StreamDigest(file.length);
    digest.add(0, file.subarray(0, 4086));
    digest.add(2043, file.subarray(2043, 6129)); // overlaps: only the new part counts
    digest.add(100_000, file.subarray(100_000, 102_043)); // a gap: left out
    digest.add(0, Buffer.alloc(2043)); // a resend of wrong bytes (as if the file changed) after the fact: ignored
    expect(digest.streamedBytes).toBe(6129);
    const reads: number[][] = [];
    expect(await digest.digest(readsOf(reads))).toBe(sha256(file));
    expect(reads[0]).toEqual([6129, 65536]);
    expect(reads.reduce((n, [, length]) => n + length, 0)).toBe(file.length - 6129);
  });

  it('knows the digest of an empty file at once', async () => {
    expect(await new StreamDigest(0).digest(async () => Buffer.alloc(0))).toBe(sha256(Buffer.alloc(0)));
  });

  it('fails when the file is shorter than it was', async () => {
    const digest = new StreamDigest(file.length + 10);
    await expect(digest.digest(async (o, l) => file.subarray(o, o + l))).rejects.toThrow(/read \d+ of \d+ bytes/);
  });
});
