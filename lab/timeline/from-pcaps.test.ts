import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timelinesFromPcaps } from './from-pcaps.ts';
import { simulateDownload } from './testing/simulate-download.ts';
import { SERVER } from './testing/two-sided-capture.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('timelinesFromPcaps', () => {
  it('reads the two capture points from disk and builds the timelines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scenario-'));
    dirs.push(dir);
    const c = simulateDownload({ n: 8, pausePercent: 50, drops: { 6: 1 }, atPause: 'proceed' });
    await writeFile(join(dir, 'router-server.pcap'), c.sent.pcap());
    await writeFile(join(dir, 'router-clients.pcap'), c.received.pcap());
    const { timelines, sent } = await timelinesFromPcaps({
      sentPcap: join(dir, 'router-server.pcap'),
      receivedPcap: join(dir, 'router-clients.pcap'),
      serverIp: SERVER.ip,
      pausePercent: 50,
    });
    expect(timelines.map((t) => [t.file, t.h, t.counts.dropped, t.drops[0]?.seq])).toEqual([['q.txt', 4, 1, 6]]);
    expect(sent.controlLines.some((l) => l.text === 'proceed')).toBe(true);
  });
});
