import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';

/** Writes a file of `bytes` whose every 4-byte word differs, so a misplaced datagram changes its hash. */
export async function makePatternFile(
  dir: string,
  name: string,
  bytes: number,
): Promise<{ file: string; sha256: string }> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  const handle = await open(file, 'w');
  const hash = createHash('sha256');
  const block = Buffer.alloc(1024 * 1024);
  for (let offset = 0; offset < bytes; offset += block.length) {
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE(((offset + i) * 2654435761) >>> 0, i);
    const piece = block.subarray(0, Math.min(block.length, bytes - offset));
    hash.update(piece);
    await handle.write(piece, 0, piece.length, offset);
  }
  await handle.close();
  return { file, sha256: hash.digest('hex') };
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
