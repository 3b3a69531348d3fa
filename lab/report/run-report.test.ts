import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summaryOf } from '../results/testing/sample-summary.ts';
import { filesLeftBy } from '../results/run-folder.ts';
import { scenarioResult } from '../results/scenario-result.ts';
import { buildTimelines } from '../timeline/build-timeline.ts';
import { simulateDownload } from '../timeline/testing/simulate-download.ts';
import { renderRunReport } from './run-report.ts';
import { writeRunReport } from './write-run-report.ts';

async function sampleRun() {
  const drops = buildTimelines(
    await simulateDownload({ n: 20, pausePercent: 50, drops: { 3: 1 }, atPause: 'proceed' }).input({
      pausePercent: 50,
    }),
  );
  const two = [
    ...buildTimelines(
      await simulateDownload({ n: 6, pausePercent: 50, file: 'one.bin', atPause: 'proceed' }).input({
        pausePercent: 50,
      }),
    ),
    ...buildTimelines(
      await simulateDownload({ n: 4, pausePercent: 50, file: 'two & <b>.bin', atPause: 'stop' }).input({
        pausePercent: 50,
      }),
    ),
  ];
  const failure = Object.assign(
    new Error('seq 3 (≥ H = 3) was sent at 0.011 s, before `proceed` <at> 0.013 s & "later"'),
    { code: 'LAB_ERR_EXPECTATION', expectation: 'nothingPastPauseBeforeProceed' },
  );
  const kind = { clients: ['odd #name'], downloads: 1, dropRules: true };
  const results = [scenarioResult('chosen-drops', 4400, drops), scenarioResult('walk through', 5500, two, failure)];
  const scenarios = [
    {
      result: results[0],
      timelines: drops,
      dir: 'chosen-drops',
      kind,
      files: filesLeftBy(kind),
      title: 'Drops of seqs 3: requested & resent',
    },
    {
      result: results[1],
      timelines: two,
      dir: 'walk-through',
      kind: { ...kind, downloads: 2 },
      files: ['server.pcap', 'client-alice.log', 'timeline-1.svg'],
    },
  ];
  return { summary: summaryOf(results), scenarios };
}

describe('renderRunReport', () => {
  it('shows the run, the table with the failure, and a section per scenario with charts and links', async () => {
    const { summary, scenarios } = await sampleRun();
    const html = renderRunReport(summary, scenarios);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('Lab run 20261125-211500-ab12');
    expect(html).toContain('<code>npm run lab -- --seed 1234 walk through</code>');
    expect(html).toContain('ci&lt;1&gt;: linux 6.1 x64');
    expect(html).toContain('<section id="scenario-chosen-drops">');
    expect(html).toContain('<section id="scenario-walk-through">');
    expect(html).toContain('<a href="#scenario-walk-through">walk through</a>');
    expect(html).toContain('Drops of seqs 3: requested &amp; resent');
    // The failure, escaped, in the table and in its section.
    const message =
      'seq 3 (≥ H = 3) was sent at 0.011 s, before `proceed` &lt;at&gt; 0.013 s &amp; &quot;later&quot; (LAB_ERR_EXPECTATION, nothingPastPauseBeforeProceed)';
    expect(html.split(message)).toHaveLength(3);
    expect(html).toContain('<tr class="fail">');
    expect(html).not.toContain('<at>');
    // One inline chart and one collapsed story per download.
    // One interactive chart (its data beside it), one link to its static picture and one collapsed story per download;
    // no SVG drawn into the page, and the charts' code once, inline.
    expect(html.match(/<figure class="download-chart"/g)).toHaveLength(3);
    expect(html.match(/<script type="application\/json">/g)).toHaveLength(3);
    expect(html).not.toContain('<svg');
    expect(html.match(/<script type="module">/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script[^>]* src=|<link[^>]* href="http/);
    expect(html).toContain('Static picture for slides: <a href="walk-through/timeline-2.svg">timeline-2.svg</a>');
    expect(html.match(/<details>/g)).toHaveLength(3);
    // The data cannot close its element, whatever a file is called.
    expect(html).toContain('"title":"two & \\u003cb>.bin by');
    expect(html).toContain('<summary>timeline.txt (download 2)</summary>');
    expect(html).toContain('Download of two &amp; &lt;b&gt;.bin by');
    expect(html).not.toContain('two & <b>');
    // Links relative to the run folder, charts first.
    for (const f of [
      'timeline.svg',
      'server.pcap',
      'router-client-side.pcap',
      'timeline.json',
      'impairment.json',
      'server.log',
    ])
      expect(html).toContain(`<a href="chosen-drops/${f}">${f}</a>`);
    expect(html).toContain(
      '<li><a href="walk-through/timeline-1.svg">timeline-1.svg</a></li><li><a href="walk-through/timeline-2.svg">timeline-2.svg</a></li><li><a href="walk-through/server.pcap">',
    );
    expect(html).toContain('<a href="walk-through/client-alice.log">');
  });

  it('writes report.html into the run folder with links to the lab files on disk', async () => {
    const { summary, scenarios } = await sampleRun();
    const runDir = await mkdtemp(join(tmpdir(), 'run-'));
    const dir = join(runDir, 'chosen-drops');
    await mkdir(join(dir, 'downloads'), { recursive: true });
    // A stray file is not a lab file: only names from the run-folder module are linked.
    for (const f of ['server.log', 'client-odd #name.pcap', 'timeline.svg', 'timeline.txt', 'stray.txt'])
      await writeFile(join(dir, f), '');
    const file = await writeRunReport(runDir, summary, [{ ...scenarios[0], dir }]);
    expect(file).toBe(join(runDir, 'report.html'));
    const html = await readFile(file, 'utf8');
    expect(html).toContain(
      '<ul class="files"><li><a href="chosen-drops/timeline.svg">timeline.svg</a></li><li><a href="chosen-drops/timeline.txt">timeline.txt</a></li><li><a href="chosen-drops/client-odd%20%23name.pcap">client-odd #name.pcap</a></li><li><a href="chosen-drops/server.log">server.log</a></li></ul>',
    );
  });

  it('flags a capture cut short in the table, above the charts and beside its link, even when the scenario passed', async () => {
    const { summary, scenarios } = await sampleRun();
    const warning = {
      file: 'chosen-drops/server.pcap',
      kind: 'cut-short' as const,
      message:
        'cut short: tcpdump was killed (exit 137) with its host, so it misses what came after; it holds 7 frames',
    };
    const flagged = { ...scenarios[0], result: { ...scenarios[0].result, captureWarnings: [warning] } };
    const html = renderRunReport(summary, [flagged, scenarios[1]]);
    const said = `⚠ server.pcap: ${warning.message}`;
    expect(html).toContain(
      `<tr class="warn"><td></td><td colspan="5" class="message">⚠ chosen-drops/server.pcap: ${warning.message}</td></tr>`,
    );
    expect(html).toContain(`<ul class="capture-warnings"><li>${said}</li></ul>`);
    expect(html.indexOf('<ul class="capture-warnings">')).toBeLessThan(html.indexOf('<figure class="download-chart"'));
    expect(html).toContain(
      '<li><a href="chosen-drops/server.pcap">server.pcap</a> <span class="flag" title="see the warning above">⚠ cut-short</span></li>',
    );
    expect(html.match(/class="flag"/g)).toHaveLength(1);
    expect(renderRunReport(summary, scenarios)).not.toContain('⚠');
  });
});
