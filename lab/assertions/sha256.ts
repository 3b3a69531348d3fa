import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ExpectationFailed } from './expectation-failed.ts';

/** A file on disk, or a digest already known (hex, e.g. computed inside a container). */
export type HashSource = string | { sha256: string; label?: string };

async function digest(source: HashSource): Promise<{ hex: string; label: string }> {
  if (typeof source !== 'string')
    return { hex: source.sha256.toLowerCase(), label: source.label ?? 'the given digest' };
  const hash = createHash('sha256');
  try {
    // Streamed: downloaded files may be far larger than memory should hold.
    for await (const chunk of createReadStream(source)) hash.update(chunk as Buffer);
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'does not exist'
        : `cannot be read (${(err as Error).message})`;
    throw new ExpectationFailed('sha256Equal', `${source} ${reason}, so its SHA-256 cannot be compared`);
  }
  return { hex: hash.digest('hex'), label: source };
}

/** Both sides have the same SHA-256; returns it. */
export async function sha256Equal(a: HashSource, b: HashSource): Promise<string> {
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  if (x.hex !== y.hex)
    throw new ExpectationFailed(
      'sha256Equal',
      `SHA-256 of ${x.label} is ${x.hex} but SHA-256 of ${y.label} is ${y.hex}`,
    );
  return x.hex;
}
