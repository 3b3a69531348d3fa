import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePcap } from '../pcap/testing/pcap-writer.ts';
import { folderFacts } from './folder-facts.ts';

const T0 = 1_764_000_000_000_000;
const frames = (n: number, fromUs = T0) =>
  Array.from({ length: n }, (_, i) => ({ tsUs: fromUs + i * 100_000, frame: Buffer.alloc(60, i) }));

/** A scenario folder as the lab leaves it: pcaps per capture point and tcpdump's outcome in captures.json. */
async function scenarioFolder(server: { exitCode: number; pcap: Buffer }, alice: Buffer | null = null) {
  const runDir = await mkdtemp(path.join(tmpdir(), 'facts-'));
  const dir = path.join(runDir, 'server-killed');
  await mkdir(dir);
  await writeFile(path.join(dir, 'server.pcap'), server.pcap);
  await writeFile(path.join(dir, 'router-server-side.pcap'), writePcap(frames(20)));
  await writeFile(path.join(dir, 'router-client-side.pcap'), writePcap(frames(20)));
  if (alice) await writeFile(path.join(dir, 'client-alice.pcap'), alice);
  const tcpdump = (point: string, exitCode = 0) => ({ point, file: `${point}.pcap`, exitCode, droppedByKernel: 0 });
  await writeFile(
    path.join(dir, 'captures.json'),
    JSON.stringify([
      tcpdump('server', server.exitCode),
      tcpdump('router-server-side'),
      tcpdump('router-client-side'),
      { ...tcpdump('client-alice'), droppedByKernel: 4 },
    ]),
  );
  return folderFacts(runDir, dir, { clients: ['alice', 'bob'] });
}

describe('folderFacts', () => {
  it('flags a capture whose tcpdump was killed with its host, saying how much it holds and when it stops', async () => {
    const facts = await scenarioFolder({ exitCode: 137, pcap: writePcap(frames(13)) });
    expect(facts.dir).toBe('server-killed');
    expect(facts.captures).toEqual([
      'server-killed/server.pcap',
      'server-killed/router-server-side.pcap',
      'server-killed/router-client-side.pcap',
    ]);
    expect(facts.captureWarnings).toEqual([
      {
        file: 'server-killed/server.pcap',
        kind: 'cut-short',
        message:
          "cut short: tcpdump was killed (exit 137) with its host, so it misses what came after; it holds 13 frames, its last one 0.700 s before the other captures' last",
      },
    ]);
  });

  it('flags a file that ends mid-packet, kernel drops, and a capture that is no pcap; nothing for whole captures', async () => {
    const whole = writePcap(frames(13));
    const facts = await scenarioFolder(
      { exitCode: 0, pcap: whole.subarray(0, whole.length - 10) },
      Buffer.from('not a capture at all'),
    );
    expect(facts.captureWarnings.map((w) => [w.file, w.kind])).toEqual([
      ['server-killed/server.pcap', 'cut-short'],
      ['server-killed/client-alice.pcap', 'unreadable'],
    ]);
    expect(facts.captureWarnings[0].message).toMatch(/the file ends in the middle of a packet \(66 bytes after/);

    const clean = await scenarioFolder({ exitCode: 0, pcap: writePcap(frames(20)) }, writePcap(frames(20)));
    expect(clean.captureWarnings).toEqual([
      {
        file: 'server-killed/client-alice.pcap',
        kind: 'kernel-drops',
        message: 'the kernel dropped 4 packets before tcpdump wrote them: the capture has holes',
      },
    ]);
  });
});
