import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTimelines } from '../timeline/build-timeline.ts';
import { simulateDownload } from '../timeline/testing/simulate-download.ts';
import { filesPresent } from './files-present.ts';
import { filesLeftBy, scenarioDir } from './run-folder.ts';
import { scenarioResult } from './scenario-result.ts';
import { writeRunSummary, writeScenarioResults } from './write-results.ts';
import { summaryOf } from './testing/sample-summary.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
/** A fresh folder, removed after the test. */
const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

const topLevelFiles = async (dir: string) =>
  (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();

describe('the files a scenario folder holds', () => {
  it('for one client and one download over a lossy link: every capture, log, chart and record', () => {
    expect(filesLeftBy({ clients: ['alice'], downloads: 1, dropRules: true })).toEqual([
      'timeline.svg',
      'timeline.txt',
      'client-alice.pcap',
      'router-client-side.pcap',
      'router-server-side.pcap',
      'server.pcap',
      'client-alice.log',
      'server.log',
      'captures.json',
      'impairment.json',
      'result.json',
      'timeline.json',
      'impairment.nft',
    ]);
  });

  it('has no chart and no timeline.txt without downloads, and no rules without drops', () => {
    const files = filesLeftBy({ clients: ['alice', 'bob'], downloads: 0, dropRules: false });
    expect(files.filter((f) => f.startsWith('timeline'))).toEqual(['timeline.json']);
    expect(files).not.toContain('impairment.nft');
    expect(files).toContain('client-bob.pcap');
    expect(files).toContain('client-bob.log');
  });

  it("adds the attacker's capture and its agent's log when an attacker took part", () => {
    const without = filesLeftBy({ clients: ['alice'], downloads: 0, dropRules: false });
    const withAttacker = filesLeftBy({ clients: ['alice'], downloads: 0, dropRules: false, attacker: true });
    expect(without).not.toContain('attacker.pcap');
    expect(withAttacker.filter((f) => !without.includes(f)).sort()).toEqual(['attacker.log', 'attacker.pcap']);
  });

  it('numbers the charts of several downloads and keeps the logs of streams that spoke', () => {
    const files = filesLeftBy({
      clients: ['alice', 'bob'],
      downloads: 2,
      dropRules: false,
      chatty: { server: true, clients: ['bob'] },
    });
    expect(files.slice(0, 3)).toEqual(['timeline-1.svg', 'timeline-2.svg', 'timeline.txt']);
    expect(files).toContain('server.stdout.log');
    expect(files).toContain('client-bob.stderr.log');
    expect(files).not.toContain('client-alice.stderr.log');
  });

  it('is what the writers write: a scenario folder and a run folder hold no other name', async () => {
    const timelines = buildTimelines(
      await simulateDownload({ n: 6, pausePercent: 50, atPause: 'proceed' }).input({ pausePercent: 50 }),
    );
    const runDir = await tempDir('run-');
    const dir = scenarioDir(runDir, 'one download');
    await writeScenarioResults(dir, scenarioResult('one download', 1, timelines), timelines);
    const kind = { clients: [], downloads: timelines.length, dropRules: false };
    const written = await topLevelFiles(dir);
    // Data only: the charts (timeline.svg) are lab/report's to draw.
    expect(written).toEqual(['result.json', 'timeline.json', 'timeline.txt']);
    expect(written.filter((f) => !filesLeftBy(kind).includes(f))).toEqual([]);

    await writeRunSummary(runDir, summaryOf([scenarioResult('one download', 1, timelines)]));
    expect(await topLevelFiles(runDir)).toEqual(['junit.xml', 'summary.json']);
  });

  it('lets the report find the lab files that are there and nothing else', async () => {
    const dir = await tempDir('scenario-');
    for (const f of ['server.log', 'client-bob.stderr.log', 'notes.txt', 'timeline.json'])
      await writeFile(join(dir, f), '');
    expect(await filesPresent(dir, { clients: ['bob'], downloads: 0, dropRules: false })).toEqual([
      'client-bob.stderr.log',
      'server.log',
      'timeline.json',
    ]);
  });
});
