import { describe, expect, it } from 'vitest';
import { DuplicateCheck } from './duplicate-check.ts';

const CHUNK = 4;
const held = Buffer.from('aaaabbbbccccdddd');
const reader =
  (reads: number[] = []) =>
  async (offset: number, length: number) => {
    reads.push(offset);
    await new Promise((r) => setTimeout(r, 1));
    return held.subarray(offset, offset + length);
  };

describe('a second copy of a held seq', () => {
  it('makes the seq a suspect when its bytes differ from the held ones, and only then', async () => {
    const reads: number[] = [];
    const check = new DuplicateCheck(reader(reads), CHUNK);
    check.compare(1, Buffer.from('bbbb'));
    check.compare(2, Buffer.from('XXXX'));
    check.compare(3, Buffer.from('dddd'));
    expect(await check.conflicting()).toEqual([2]);
    expect(reads).toEqual([4, 8, 12]);
  });

  it('compares the bytes as they arrived, even when the buffer they came in is reused', async () => {
    const check = new DuplicateCheck(reader(), CHUNK);
    const reused = Buffer.from('XXXX');
    check.compare(0, reused);
    reused.write('aaaa');
    expect(await check.conflicting()).toEqual([0]);
  });

  it('holds at most maxPending copies: beyond that a duplicate is a suspect without comparison', async () => {
    const check = new DuplicateCheck(reader(), CHUNK, 2);
    for (const seq of [0, 1, 2, 3]) check.compare(seq, held.subarray(seq * CHUNK, seq * CHUNK + CHUNK));
    expect(await check.conflicting()).toEqual([2, 3]);
  });

  it('counts a seq whose held copy cannot be read as a suspect, and forgets a seq fetched anew', async () => {
    const check = new DuplicateCheck(async () => Promise.reject(new Error('EIO')), CHUNK);
    check.compare(1, Buffer.from('bbbb'));
    expect(await check.conflicting()).toEqual([1]);
    check.forget(1);
    expect(await check.conflicting()).toEqual([]);
  });
});
