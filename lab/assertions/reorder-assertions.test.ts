import { describe, expect, it } from 'vitest';
import { buildTimelines, type DownloadTimeline } from '../timeline/index.ts';
import { TwoSidedCapture } from '../timeline/testing/two-sided-capture.ts';
import { downloadOf, downloadSeconds, notRequested, sawReordering } from './index.ts';

/** Ten datagrams 0.2 ms apart; `late` seqs reach the client `lateMs` later; `asked` are requested at 5 ms. */
async function download(late: number[], lateMs: number, asked: number[] = []): Promise<DownloadTimeline> {
  const c = new TwoSidedCapture().fromClient(1, 'download|q.txt').fromServer(2, '|10').fromClient(3, 'udp|50123');
  for (let seq = 0; seq < 10; seq++) c.datagram(10 + seq * 0.2, seq, { lateMs: late.includes(seq) ? lateMs : 0 });
  if (asked.length) c.fromClient(15, `resend|${asked.join('|')}`);
  c.fromClient(20, 'stop').fromServer(21, 'User alice downloaded 100% out of file. Last byte is: 1');
  return downloadOf(buildTimelines(await c.input({ pausePercent: 100 })));
}

describe('reordering on the wire', () => {
  it('finds each datagram that arrived after later ones, by how many and how late', async () => {
    const t = await download([2, 6], 1);
    const found = sawReordering(t, 2);
    expect(found.map((o) => o.seq)).toEqual([2, 6]);
    expect(found[0].positions).toBe(3); // 3, 4 and 5 left after it and arrived before it
    expect(found[0].lateMs).toBeCloseTo(0.8, 1); // behind 3, the first to overtake it
  });

  it('fails when fewer arrived out of order than expected', async () => {
    const t = await download([], 1);
    expect(() => sawReordering(t, 1)).toThrow(expect.objectContaining({ expectation: 'sawReordering' }));
  });

  it('fails when a late datagram was asked for again, naming it', async () => {
    const t = await download([4], 3, [4]);
    expect(() => notRequested(t, [4])).toThrow(/seq 4 was requested at/);
    expect(() => notRequested(t, [5])).not.toThrow();
  });

  it('measures the download from its first line to the last', async () => {
    expect(downloadSeconds(await download([], 0))).toBeCloseTo(0.02, 3);
  });
});
