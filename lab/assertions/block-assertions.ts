import type { DownloadTimeline } from '../timeline/index.ts';
import { download } from './describe.ts';
import { ExpectationFailed } from './expectation-failed.ts';

/**
 * Every full datagram of the download carried `block` bytes of the file, and so the file took
 * ⌈size / block⌉ of them: what `blksize|…` agreed, seen on the wire, not in a program's words.
 */
export function carriedBlocksOf(t: DownloadTimeline, block: number): void {
  const largest = t.block ?? null;
  if (largest === null || t.bytes === null)
    throw new ExpectationFailed('carriedBlocksOf', `${download(t)}: no datagram of it reached the client`);
  if (largest !== block || t.n !== Math.ceil(t.bytes / block)) {
    throw new ExpectationFailed(
      'carriedBlocksOf',
      `${download(t)} carried ${t.bytes} bytes in ${t.n} datagrams of up to ${largest} bytes; expected blocks of ${block}, ${Math.ceil(t.bytes / block)} datagrams`,
    );
  }
}
