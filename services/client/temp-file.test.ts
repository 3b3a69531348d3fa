import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempFile } from './temp-file.ts';

const CHUNK = 2043;
const file = randomBytes(40 * CHUNK);
const chunk = (seq: number) => file.subarray(seq * CHUNK, (seq + 1) * CHUNK);
let dir: string;
let temp: TempFile;

afterEach(async () => {
  await temp.remove();
  await rm(dir, { recursive: true, force: true });
});

async function open(): Promise<TempFile> {
  dir = await mkdtemp(path.join(tmpdir(), 'temp-file-'));
  return (temp = await TempFile.create(dir, 'f.bin'));
}

describe('the temporary file of a download', () => {
  it('holds every datagram at its offset, whatever the order, holes filled by later writes', async () => {
    const t = await open();
    const order = [...Array(40).keys()].filter((s) => s % 7 !== 3);
    for (const seq of order) t.write(chunk(seq), seq * CHUNK);
    for (const seq of [38, 31, 24, 17, 10, 3]) t.write(chunk(seq), seq * CHUNK);
    await t.flush();
    expect((await readFile(t.path)).equals(file)).toBe(true);
  });

  it('takes seqs again after a flush without overwriting the held ones between them', async () => {
    const t = await open();
    for (let seq = 0; seq < 40; seq++)
      t.write(seq === 5 || seq === 30 ? Buffer.alloc(CHUNK, 0x46) : chunk(seq), seq * CHUNK);
    await t.flush();
    // Fetched again: two seqs far apart land in one new window, with held seqs in its hole.
    t.write(chunk(5), 5 * CHUNK);
    t.write(chunk(30), 30 * CHUNK);
    await t.flush();
    expect((await readFile(t.path)).equals(file)).toBe(true);
  });

  it('reads back what it holds, from the window or from disk, without a flush', async () => {
    const t = await open();
    for (let seq = 0; seq < 10; seq++) t.write(chunk(seq), seq * CHUNK);
    expect((await t.read(4 * CHUNK, CHUNK)).equals(chunk(4))).toBe(true);
    for (let seq = 300; seq < 302; seq++) t.write(Buffer.alloc(CHUNK, 1), seq * CHUNK); // past the window: it is written
    expect((await t.read(9 * CHUNK, CHUNK)).equals(chunk(9))).toBe(true);
    t.write(Buffer.alloc(CHUNK, 2), 9 * CHUNK); // a resend of other bytes, written on its own
    expect((await t.read(9 * CHUNK, CHUNK)).equals(Buffer.alloc(CHUNK, 2))).toBe(true);
  });

  it('reads a range that runs from what is on disk into the window, as a catch-up of the running digest does', async () => {
    const t = await open();
    const big = randomBytes(512 * 1024 + 20 * CHUNK);
    const windowBytes = 512 * 1024;
    t.write(big.subarray(0, windowBytes), 0); // one whole window…
    t.write(big.subarray(windowBytes), windowBytes); // …then the next starts, and the first is written out
    const into = Buffer.alloc(4 * CHUNK);
    const read = await t.read(windowBytes - 2 * CHUNK, 4 * CHUNK, into);
    expect(read.equals(big.subarray(windowBytes - 2 * CHUNK, windowBytes + 2 * CHUNK))).toBe(true);
  });
});
