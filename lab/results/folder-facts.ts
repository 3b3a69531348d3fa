import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readPcap } from '../pcap/read-pcap.ts';
import { captureWarnings, type CaptureWarning, type PcapFacts, type TcpdumpOutcome } from './capture-warnings.ts';
import { capturePointsOf, pcapFile, SCENARIO_FILE, type ScenarioKind } from './run-folder.ts';
import type { ScenarioResult } from './types.ts';

type Facts = Required<Pick<ScenarioResult, 'dir' | 'captures' | 'captureWarnings'>>;

/**
 * Where a scenario's evidence is, relative to the run folder, for the readers of summary.json and junit.xml:
 * its folder, the pcaps that are there (a scenario that broke off early may have fewer), and what any of them
 * could not record (a tcpdump killed with its host, kernel drops: from captures.json and the files themselves).
 */
export async function folderFacts(
  runDir: string,
  dir: string,
  kind: Pick<ScenarioKind, 'clients' | 'attacker'>,
): Promise<Facts> {
  const relative = path.relative(runDir, dir).split(path.sep).join('/');
  const pcaps = capturePointsOf(kind).map(pcapFile);
  const read = await Promise.all(pcaps.map((f) => pcapFacts(path.join(dir, f))));
  const present = pcaps.filter((_, i) => read[i] !== 'absent');
  const tcpdump = await tcpdumpOutcomes(dir);
  const lastOf = (i: number) => {
    const r = read[i];
    return typeof r === 'object' && 'frames' in r ? r.lastUs : null;
  };
  const captureWarningsOf = (file: string, i: number): CaptureWarning[] => {
    const r = read[i];
    const at = `${relative}/${file}`;
    if (r === 'absent') return [];
    if ('unreadable' in r) return [{ file: at, kind: 'unreadable', message: r.unreadable }];
    const others = read.map((_, j) => (j === i ? null : lastOf(j))).filter((t): t is number => t !== null);
    return captureWarnings(at, r, tcpdump.get(file) ?? null, others.length ? Math.max(...others) : null);
  };
  return {
    dir: relative,
    captures: present.map((f) => `${relative}/${f}`),
    captureWarnings: pcaps.flatMap(captureWarningsOf),
  };
}

async function pcapFacts(file: string): Promise<PcapFacts | { unreadable: string } | 'absent'> {
  const isFile = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) return 'absent';
  try {
    const raw = await readPcap(file);
    const last = raw.records.at(-1);
    return {
      frames: raw.records.length,
      lastUs: last ? last.tsUs : null,
      truncatedTailBytes: raw.truncatedTailBytes,
      untimedRecords: raw.untimedRecords,
    };
  } catch (err) {
    return { unreadable: `cannot be read: ${(err as Error).message}` };
  }
}

/** tcpdump's outcome per pcap file, from captures.json (absent when the scenario broke off before the captures). */
async function tcpdumpOutcomes(dir: string): Promise<Map<string, TcpdumpOutcome>> {
  const text = await readFile(path.join(dir, SCENARIO_FILE.captures), 'utf8').catch(() => null);
  if (text === null) return new Map();
  const entries = JSON.parse(text) as ({ file: string } & TcpdumpOutcome)[];
  return new Map(entries.map((e) => [path.basename(e.file), e]));
}
