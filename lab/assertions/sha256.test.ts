import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Equal } from './sha256.ts';

const HELLO = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';

describe('sha256Equal', () => {
  it('compares files and known digests, and returns the digest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sha-'));
    await writeFile(join(dir, 'a'), 'hello');
    await writeFile(join(dir, 'b'), 'hello');
    expect(await sha256Equal(join(dir, 'a'), join(dir, 'b'))).toBe(HELLO);
    expect(await sha256Equal(join(dir, 'a'), { sha256: HELLO.toUpperCase(), label: 'the server copy' })).toBe(HELLO);
  });

  it('fails with both digests, or with the missing file named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sha-'));
    await writeFile(join(dir, 'a'), 'hello');
    await writeFile(join(dir, 'b'), 'hellO');
    await expect(sha256Equal(join(dir, 'a'), join(dir, 'b'))).rejects.toMatchObject({
      code: 'LAB_ERR_EXPECTATION',
      message: expect.stringMatching(new RegExp(`^SHA-256 of .*/a is ${HELLO} but SHA-256 of .*/b is [0-9a-f]{64}$`)),
    });
    await expect(sha256Equal(join(dir, 'a'), join(dir, 'saved.txt'))).rejects.toThrow(
      /saved\.txt does not exist, so its SHA-256 cannot be compared/,
    );
  });
});
