import { describe, expect, it } from 'vitest';
import { buildTimelines, type DownloadTimeline } from '../timeline/index.ts';
import { withNetworkEvents } from '../timeline/network-events.ts';
import { TwoSidedCapture } from '../timeline/testing/two-sided-capture.ts';
import { chartData } from './chart-data.ts';

/** Twenty datagrams 1 ms apart; `late` seqs reach the client `lateMs` later than their turn. */
async function download(late: number[], lateMs = 5): Promise<DownloadTimeline> {
  const c = new TwoSidedCapture().fromClient(1, 'download|q.txt').fromServer(2, '|20').fromClient(3, 'udp|50123');
  for (let seq = 0; seq < 20; seq++) c.datagram(10 + seq, seq, { lateMs: late.includes(seq) ? lateMs : 0 });
  c.fromClient(40, 'stop').fromServer(41, 'User alice downloaded 100% out of file. Last byte is: 1');
  return buildTimelines(await c.input({ pausePercent: 100 }))[0];
}

describe('chartData', () => {
  it('marks each arrival that later datagrams overtook as late, apart from the arrivals in order', async () => {
    const data = chartData(await download([4, 11]));
    expect(data.series.late.seq).toEqual([4, 11]);
    expect(data.series.atClient.seq).toHaveLength(18);
    expect(data.series.atClient.seq).not.toContain(4);
    // Each late arrival is drawn where it arrived: after the ones sent after it.
    const at = (seq: number) => data.series.atClient.t[data.series.atClient.seq.indexOf(seq)];
    expect(data.series.late.t[0]).toBeGreaterThan(at(5));
    expect(chartData(await download([])).series.late.t).toEqual([]);
  });

  it('shades each outage the lab caused, from its start to its end, or to the end of the chart', async () => {
    const t = await download([]);
    const at = (s: number) => t.startUs + s * 1e6;
    withNetworkEvents(
      [t],
      [
        { tsUs: at(0.012), what: 'partition: the router forwards nothing, either way', outage: 'begins' },
        { tsUs: at(0.02), what: 'healed after 0.0 s: 7 packets dropped', outage: 'ends' },
        { tsUs: at(0.025), what: 'a note that is no outage' },
        { tsUs: at(0.03), what: 'router restarting', outage: 'begins' },
      ],
    );
    const data = chartData(t);
    expect(data.outages).toEqual([
      { t0: 0.012, t1: 0.02, label: 'partition: the router forwards nothing, either way' },
      { t0: 0.03, t1: data.tEnd, label: 'router restarting' },
    ]);
    expect(data.events.filter((e) => e.kind === 'network')).toHaveLength(4);
  });
});
