import { describe, expect, it } from 'vitest';
import { buildTimelines } from '../timeline/build-timeline.ts';
import { simulateDownload, type SimulatedDownload } from '../timeline/testing/simulate-download.ts';
import { withNetworkEvents } from '../timeline/network-events.ts';
import type { DownloadTimeline } from '../timeline/types.ts';
import { MARK_LIMIT, renderSequenceChart } from './sequence-chart.ts';
import { parseXml, withClass } from './testing/parse-xml.ts';

async function timelineOf(spec: SimulatedDownload): Promise<DownloadTimeline> {
  const [t] = buildTimelines(await simulateDownload(spec).input({ pausePercent: spec.pausePercent }));
  return t;
}

describe('renderSequenceChart', () => {
  it('marks every drop, resend, request and first transmission once, and the pause between seq H-1 and H', async () => {
    const t = await timelineOf({ n: 20, pausePercent: 50, drops: { 3: 1, 7: 2, 12: 1 }, atPause: 'proceed' });
    expect(t.counts).toMatchObject({ sent: 24, dropped: 4, resent: 4 });
    const svg = renderSequenceChart(t);
    const els = parseXml(svg);
    expect(els[0]).toMatchObject({ tag: 'svg', attrs: { viewBox: expect.stringMatching(/^0 0 \d+ \d+$/) } });

    const drops = withClass(els, 'drop');
    expect(drops).toHaveLength(4);
    expect(withClass(els, 'resend')).toHaveLength(4);
    // The second transmission of seq 7 was lost too: a red ×, and a resend.
    expect(withClass(drops, 'resend')).toHaveLength(1);
    expect(withClass(els, 'send')).toHaveLength(17); // 20 seqs, 3 of them lost their first transmission
    expect(withClass(els, 'request')).toHaveLength(t.counts.requests);

    const titles = els.filter((e) => e.tag === 'title').map((e) => e.text);
    expect(titles).toContain(
      `seq 7, transmission 2, ${t.drops.find((d) => d.seq === 7 && d.attempt === 1)!.t.toFixed(6)} s: dropped by the link`,
    );
    expect(titles.filter((s) => s?.startsWith('resend request at '))).toHaveLength(t.counts.requests);

    const [pause] = withClass(els, 'pause-line');
    expect(pause.attrs['data-h']).toBe('10');
    const pauseY = Number(els[els.indexOf(pause) + 2].attrs.y1);
    const yOf = (seq: number) =>
      Number(withClass(els, 'send').find((e) => els[els.indexOf(e) + 1].text!.startsWith(`seq ${seq},`))!.attrs.cy);
    expect(pauseY).toBeCloseTo((yOf(9) + yOf(10)) / 2, 0);

    const texts = els.filter((e) => e.tag === 'text').map((e) => e.text ?? '');
    expect(texts).toContain('q.txt by 10.77.1.20 — completed: sent 24, dropped 4, resent 4');
    expect(texts).toContain('pause H = 10');
    for (const marker of ['pause reached', 'proceed', 'stop', 'end'])
      expect(texts.some((s) => s.startsWith(`${marker} `))).toBe(true);
  });

  it('escapes a file name that would break the markup', async () => {
    const t = await timelineOf({ n: 4, pausePercent: 50, file: '<a&b>.txt', atPause: 'stop' });
    const svg = renderSequenceChart(t);
    expect(svg).not.toContain('<a&b>');
    expect(svg).toContain('&lt;a&amp;b&gt;.txt');
    const els = parseXml(svg);
    expect(els.find((e) => e.tag === 'title')?.text).toBe(
      '<a&b>.txt by 10.77.1.20 — stopped: sent 2, dropped 0, resent 0',
    );
  });

  it('thins a large download to a line but keeps every drop and resend, and stays small', async () => {
    const drops = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [i * 97 + 5, i % 10 === 0 ? 2 : 1]));
    const t = await timelineOf({ n: 20_000, pausePercent: 50, drops, atPause: 'proceed' });
    expect(t.counts.sent).toBeGreaterThan(MARK_LIMIT);
    const svg = renderSequenceChart(t);
    const els = parseXml(svg);
    expect(withClass(els, 'drop')).toHaveLength(t.counts.dropped);
    expect(withClass(els, 'resend')).toHaveLength(t.counts.resent);
    expect(withClass(els, 'send')).toHaveLength(0);
    expect(withClass(els, 'send-line')).toHaveLength(1);
    expect(svg.length).toBeLessThan(100_000);
  });

  it('draws each first transmission as its own mark up to the limit', async () => {
    const t = await timelineOf({ n: 3000, pausePercent: 50, atPause: 'proceed' });
    const els = parseXml(renderSequenceChart(t));
    expect(withClass(els, 'send')).toHaveLength(3000);
    expect(withClass(els, 'send-line')).toHaveLength(0);
  });
});

describe('timeline.svg counts what it draws', () => {
  it('draws a request as the exact seqs it names, and its legend counts every mark drawn', async () => {
    const [t] = buildTimelines(
      await simulateDownload({ n: 20, pausePercent: 50, drops: { 3: 1, 7: 1, 12: 2 }, atPause: 'proceed' }).input({
        pausePercent: 50,
      }),
    );
    const svg = renderSequenceChart(t);
    const ticks = (svg.match(/class="request" d="([^"]*)"/g) ?? []).join('').match(/h6/g) ?? [];
    expect(ticks).toHaveLength(t.counts.requestedSeqs);
    expect(svg).toContain(`requested seq (${t.counts.requestedSeqs})`);
    const count = (cls: string) => (svg.match(new RegExp(`class="${cls}"`, 'g')) ?? []).length;
    expect(svg).toContain(`first transmission (${count('send')})`);
    expect(svg).toContain(`resend that arrived (${count('resend')})`);
    expect(svg).toContain(`dropped (${count('drop') + count('drop resend')})`);
    expect(svg).toContain('time since the client asked for the file (s)');
  });
});

describe('timeline.svg marks what the lab did to the network', () => {
  it('shades each outage, from the partition to the heal, and names it', async () => {
    const t = await timelineOf({ n: 20, pausePercent: 50, drops: { 12: 1 }, atPause: 'proceed' });
    withNetworkEvents(
      [t],
      [
        { tsUs: t.startUs + 40_000, what: 'partition: the router forwards nothing, either way', outage: 'begins' },
        { tsUs: t.startUs + 90_000, what: 'healed after 0.1 s: 3 packets dropped', outage: 'ends' },
      ],
    );
    const svg = renderSequenceChart(t);
    expect(svg.match(/<rect class="outage"/g)).toHaveLength(1);
    expect(svg).toContain('<title>partition: the router forwards nothing, either way</title></rect>');
    expect(renderSequenceChart(await timelineOf({ n: 20, pausePercent: 50 }))).not.toContain('class="outage"');
  });
});
