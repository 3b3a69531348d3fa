import { describe, expect, it } from 'vitest';
import { buildTimelines } from '../timeline/index.ts';
import { TwoSidedCapture } from '../timeline/testing/two-sided-capture.ts';
import { carriedBlocksOf, downloadOf } from './index.ts';

/** A download of three datagrams whose full ones carry `block` bytes and whose last carries 100. */
async function inBlocksOf(block: number) {
  const c = new TwoSidedCapture().fromClient(1, 'download|q.txt').fromServer(2, '|3').fromClient(3, 'udp|50123');
  c.datagram(10, 0, { dataLength: block }).datagram(11, 1, { dataLength: block }).datagram(12, 2, { dataLength: 100 });
  return downloadOf(buildTimelines(await c.input({})));
}

describe('carriedBlocksOf', () => {
  it('passes when every full datagram carried the block, as the captures show', async () => {
    const t = await inBlocksOf(8967);
    expect(() => carriedBlocksOf(t, 8967)).not.toThrow();
  });

  it('fails when the datagrams carried another block, saying what they carried', async () => {
    const t = await inBlocksOf(2043);
    expect(() => carriedBlocksOf(t, 8967)).toThrow(
      expect.objectContaining({
        expectation: 'carriedBlocksOf',
        message: expect.stringContaining(
          '4186 bytes in 3 datagrams of up to 2043 bytes; expected blocks of 8967, 1 datagrams',
        ),
      }),
    );
  });
});
