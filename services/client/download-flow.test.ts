import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, encodeDatagram } from '../protocol/datagram.ts';
import { DownloadHarness } from './testing/download-harness.ts';

const h = new DownloadHarness();
afterEach(() => h.cleanup());

const PAUSE_PROMPT = 'Download reached 50% (3/6 datagrams). Type proceed to continue, anything else to stop: ';

describe('download flow against a fake server over loopback', () => {
  it('downloads a file without a pause, checks the last byte and saves it', async () => {
    const file = randomBytes(5 * CHUNK_SIZE + 17);
    const dir = await h.dir();
    const run = await h.run(await h.fake({ file, pausePercent: 100 }), dir, ['saved.bin'], {
      size: file.length,
      pausePercent: 100,
    });
    expect(run.outcome).toBe('saved');
    expect(run.prompts).toEqual(['Save as: ']);
    expect((await readFile(path.join(dir, 'saved.bin'))).equals(file)).toBe(true);
    expect(run.files).toEqual(['saved.bin']);
    expect(run.fake.commands).toEqual([expect.stringMatching(/^udp\|\d+$/), 'stop']);
    // The first progress report goes before udp|, so the server paces to the path from its first datagram.
    expect(run.fake.received[0]).toBe('ack|0');
    expect(run.printed).toEqual([
      'Downloading q.txt: 6 datagrams.',
      'Download complete: 6 datagrams, 0 resent, 0 ignored.',
      `Last byte matches: ${file[file.length - 1]}.`,
      expect.stringMatching(new RegExp(`^Saved ${file.length} bytes as .*saved\\.bin \\(sha256 [0-9a-f]{64}\\)\\.$`)),
    ]);
  });

  it('pauses at H, sends proceed on "proceed" and completes', async () => {
    const file = randomBytes(6 * CHUNK_SIZE - 5);
    const dir = await h.dir();
    const run = await h.run(await h.fake({ file }), dir, ['proceed', 'out.bin'], { size: file.length });
    expect(run.prompts).toEqual([PAUSE_PROMPT, 'Save as: ']);
    expect(run.fake.commands).toEqual([expect.stringMatching(/^udp\|/), 'proceed', 'stop']);
    expect((await readFile(path.join(dir, 'out.bin'))).equals(file)).toBe(true);
  });

  it('stops at the pause on any other answer: stop sent, nothing saved, temp file gone', async () => {
    const file = randomBytes(6 * CHUNK_SIZE);
    const dir = await h.dir();
    const run = await h.run(await h.fake({ file }), dir, ['no thanks'], { size: file.length });
    expect(run.outcome).toBe('stopped');
    expect(run.fake.commands).toEqual([expect.stringMatching(/^udp\|/), 'stop']);
    expect(run.files).toEqual([]);
  });

  it('with --recovery seed: asks for exactly the withheld seqs of the current part per timeout round, then completes', async () => {
    const file = randomBytes(6 * CHUNK_SIZE);
    const dir = await h.dir();
    const fake = await h.fake({ file, withhold: [0, 2, 4] });
    const run = await h.run(fake, dir, ['proceed', 'x.bin'], { size: file.length, recovery: 'seed' });
    expect(fake.received.some((line) => line.startsWith('ack|'))).toBe(false);
    // 4 belongs to the second part: it must not be asked for before `proceed`.
    expect(fake.resendLines).toEqual(['resend|0|2', 'resend|4']);
    expect(fake.received.indexOf('resend|4')).toBeGreaterThan(fake.received.indexOf('proceed'));
    expect(run.printed).toContain('Requested resend of 2 datagrams (timeout 200 ms).');
    expect(run.printed).toContain('Requested resend of 1 datagrams (timeout 300 ms).');
    expect(run.printed).toContain('Download complete: 6 datagrams, 3 resent, 0 ignored.');
    expect((await readFile(path.join(dir, 'x.bin'))).equals(file)).toBe(true);
  });

  it('ignores and counts datagrams from another address, malformed, out of range, duplicate or short', async () => {
    const file = randomBytes(3 * CHUNK_SIZE + 1);
    const dir = await h.dir();
    const junk = Buffer.alloc(CHUNK_SIZE, 0x55);
    const fake = await h.fake({
      file,
      pausePercent: 100,
      before: (send) => {
        send(encodeDatagram(0, junk), fake.foreignUdp); // right shape, wrong source (127.0.0.2)
        send(Buffer.from('garbage'));
        send(encodeDatagram(4, Buffer.from('x'))); // seq >= N
        send(encodeDatagram(1, Buffer.from('short'))); // not the last one, so it must be full
        send(encodeDatagram(2, file.subarray(2 * CHUNK_SIZE, 3 * CHUNK_SIZE)));
        send(encodeDatagram(2, junk)); // a duplicate must not overwrite
      },
    });
    const run = await h.run(fake, dir, ['ok.bin'], { size: file.length, pausePercent: 100 });
    expect(run.printed).toContain('Download complete: 4 datagrams, 0 resent, 6 ignored.');
    expect((await readFile(path.join(dir, 'ok.bin'))).equals(file)).toBe(true);
  });

  it('downloads an empty file with no datagram at all: straight to stop, last byte none', async () => {
    const dir = await h.dir();
    const run = await h.run(await h.fake({ file: Buffer.alloc(0) }), dir, ['empty.txt'], { size: 0 });
    expect(run.fake.received).toEqual(['stop']);
    expect(run.printed).toContain('Last byte matches: none.');
    expect(await readFile(path.join(dir, 'empty.txt'))).toHaveLength(0);
  });

  it('downloads a file of exactly 3 x 2043 bytes (a full last datagram)', async () => {
    const file = randomBytes(3 * CHUNK_SIZE);
    const dir = await h.dir();
    const run = await h.run(await h.fake({ file }), dir, ['proceed', 'three.bin'], { size: file.length });
    expect(run.prompts[0]).toBe(
      'Download reached 66% (2/3 datagrams). Type proceed to continue, anything else to stop: ',
    );
    expect((await readFile(path.join(dir, 'three.bin'))).equals(file)).toBe(true);
  });

  it('asks again when the save name exists, leaving that file alone', async () => {
    const file = randomBytes(100);
    const dir = await h.dir();
    await writeFile(path.join(dir, 'taken.txt'), 'mine');
    const run = await h.run(await h.fake({ file }), dir, ['taken.txt', 'fresh.txt'], { size: file.length });
    expect(run.printed).toContain(`${path.join(dir, 'taken.txt')} already exists. Choose another name.`);
    expect(run.prompts).toEqual(['Save as: ', 'Save as: ']);
    expect(await readFile(path.join(dir, 'taken.txt'), 'utf8')).toBe('mine');
    expect(run.files).toEqual(['fresh.txt', 'taken.txt']);
  });

  it('says why a name cannot be written, asks again, and a blank answer removes the temp file', async () => {
    const file = randomBytes(100);
    const dir = await h.dir();
    const run = await h.run(await h.fake({ file }), dir, ['no-such-dir/x.txt', ''], { size: file.length });
    const target = path.join(dir, 'no-such-dir', 'x.txt');
    expect(run.printed).toContain(`Can't save as ${target}: no such file or directory (ENOENT). Choose another name.`);
    expect(run.printed).toContain('Download discarded.');
    expect(run.outcome).toBe('discarded');
    expect(run.files).toEqual([]);
  });

  it('stops the download when no temp file can be created in the downloads folder', async () => {
    const file = randomBytes(100);
    const dir = path.join(await h.dir(), 'missing');
    const run = await h.run(await h.fake({ file }), dir, [], { size: file.length });
    expect(run.outcome).toBe('aborted');
    expect(run.printed).toContain(`Can't create a temporary file in ${dir}: no such file or directory (ENOENT)`);
    expect(run.fake.received).toEqual(['stop']);
  });

  it('removes the temp file when the TCP connection is lost mid-download', async () => {
    const file = randomBytes(6 * CHUNK_SIZE);
    const dir = await h.dir();
    const fake = await h.fake({ file, withhold: [1], answerResends: false });
    // The first resend request is the sign the client is waiting: drop it then.
    const timer = setInterval(() => fake.resendLines.length > 0 && fake.dropConnection(), 20);
    const run = await h.run(fake, dir, [], { size: file.length });
    clearInterval(timer);
    expect(run.outcome).toBe('aborted');
    expect(run.printed).toContain('Download of q.txt cancelled.');
    expect(run.files).toEqual([]);
  });
});
