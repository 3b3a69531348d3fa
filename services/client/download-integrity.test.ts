import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, encodeDatagram } from '../protocol/datagram.ts';
import { DownloadHarness } from './testing/download-harness.ts';

const h = new DownloadHarness();
afterEach(() => h.cleanup());

const file = randomBytes(6 * CHUNK_SIZE - 5); // N = 6, H = 3
const chunk = (seq: number) => file.subarray(seq * CHUNK_SIZE, (seq + 1) * CHUNK_SIZE);
const forged = (seq: number) => encodeDatagram(seq, Buffer.alloc(chunk(seq).length, 0x46));
const saved = async (dir: string, name: string) => (await readFile(path.join(dir, name))).equals(file);

describe('a download checked against the server’s checksum', () => {
  it('asks for the checksum as the last datagrams arrive, before stop, and says the file is verified', async () => {
    const dir = await h.dir();
    const fake = await h.fake({ file, checksums: true });
    const run = await h.run(fake, dir, ['proceed', 'v.bin'], { size: file.length, verify: true });
    expect(run.fake.commands).toEqual([expect.stringMatching(/^udp\|/), 'proceed', 'checksum|q.txt', 'stop']);
    expect(run.printed).toContain(`Verified: sha256 ${sha(file)} matches the server's.`);
    expect(run.outcome).toBe('saved');
    expect(await saved(dir, 'v.bin')).toBe(true);
    // The verified digest is the saved file's: told without hashing the file a second time.
    expect(run.printed).toContain(`Saved ${file.length} bytes as ${path.join(dir, 'v.bin')} (sha256 ${sha(file)}).`);
  });

  it('asks for the checksum while a lost last datagram is still to come, so the answer travels meanwhile', async () => {
    const dir = await h.dir();
    const fake = await h.fake({ file, checksums: true, withhold: [5] });
    const run = await h.run(fake, dir, ['proceed', 'w.bin'], { size: file.length, verify: true });
    const commands = run.fake.commands;
    expect(commands.indexOf('checksum|q.txt')).toBeGreaterThan(commands.indexOf('proceed'));
    expect(commands.indexOf('checksum|q.txt')).toBeLessThan(
      commands.findIndex((c) => /^resend\|(.*\|)?5(\||$)/.test(c)),
    );
    expect(run.printed).toContain(`Verified: sha256 ${sha(file)} matches the server's.`);
    expect(run.outcome).toBe('saved');
  });

  it('from a server that predates the checksum line: completes, saves, and says plainly it is not verified', async () => {
    const dir = await h.dir();
    const run = await h.run(await h.fake({ file }), dir, ['proceed', 'old.bin'], { size: file.length, verify: true });
    expect(run.printed).toContain(
      "Not verified: the server gave no checksum of q.txt (it answered error|unknown command: checksum); the file may hold bytes that were never the server's.",
    );
    // A statement, not a question: the questions are those of any download.
    expect(run.prompts).toEqual([expect.stringMatching(/^Download reached/), 'Save as: ']);
    expect(run.outcome).toBe('saved');
    expect(await saved(dir, 'old.bin')).toBe(true);
  });

  it('finds a datagram injected ahead of the real one, fetches that seq again, and saves the file intact', async () => {
    const dir = await h.dir();
    const fake = await h.fake({ file, checksums: true, before: (send) => send(forged(1)) });
    const run = await h.run(fake, dir, ['proceed', 'fixed.bin'], { size: file.length, verify: true });
    expect(run.printed).toContain(
      `Checksum mismatch: the file's sha256 is ${sha(withForged(1))}, the server's ${sha(file)}; seq 1 arrived twice with different bytes: fetching it again.`,
    );
    expect(run.printed).toContain(
      `Verified after fetching 1 datagrams again: sha256 ${sha(file)} matches the server's.`,
    );
    expect(fake.resendLines).toContain('resend|1');
    expect(await saved(dir, 'fixed.bin')).toBe(true);
  });

  it('fetches every seq again when no datagram is known to be wrong (the real one never came)', async () => {
    const dir = await h.dir();
    const fake = await h.fake({ file, checksums: true, withhold: [2], before: (send) => send(forged(2)) });
    const run = await h.run(fake, dir, ['proceed', 'all.bin'], { size: file.length, verify: true });
    expect(run.printed).toContain(
      `Checksum mismatch: the file's sha256 is ${sha(withForged(2))}, the server's ${sha(file)}, and no datagram is known to be wrong: fetching all 6 again.`,
    );
    expect(run.printed).toContain(
      `Verified after fetching 6 datagrams again: sha256 ${sha(file)} matches the server's.`,
    );
    expect(await saved(dir, 'all.bin')).toBe(true);
  });

  it('never saves a file it knows is wrong: says so, sends stop, asks nothing, leaves no file', async () => {
    const dir = await h.dir();
    const fake = await h.fake({ file, checksums: true, checksumOf: Buffer.from('not this file') });
    const run = await h.run(fake, dir, ['proceed', 'never.bin'], { size: file.length, verify: true });
    expect(run.outcome).toBe('corrupt');
    expect(run.printed.at(-1)).toBe(
      "Download of q.txt failed: its bytes still do not match the server's checksum after fetching 6 datagrams again; nothing was saved.",
    );
    expect(run.prompts).toEqual([expect.stringMatching(/^Download reached/)]);
    expect(run.fake.commands.at(-1)).toBe('stop');
    expect(run.files).toEqual([]);
  });

  it("takes datagrams only from the port the download's first datagram came from, and none past the pause before proceed", async () => {
    const dir = await h.dir();
    const fake = await h.fake({
      file,
      checksums: true,
      before: (send) => {
        send(encodeDatagram(0, chunk(0))); // the real seq 0: the download's port is this one
        send(forged(1), fake.otherPortUdp); // the server's address, another port
        send(forged(4)); // the right port, but past the pause before proceed
      },
    });
    const run = await h.run(fake, dir, ['proceed', 'pinned.bin'], { size: file.length, verify: true });
    expect(run.printed).toContain('Download complete: 6 datagrams, 0 resent, 3 ignored.');
    expect(run.printed).toContain(`Verified: sha256 ${sha(file)} matches the server's.`);
    expect(fake.resendLines).toEqual([]);
    expect(await saved(dir, 'pinned.bin')).toBe(true);
  });
});

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function withForged(seq: number): Buffer {
  const copy = Buffer.from(file);
  copy.fill(0x46, seq * CHUNK_SIZE, seq * CHUNK_SIZE + chunk(seq).length);
  return copy;
}
