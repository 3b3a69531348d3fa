import { stat } from 'node:fs/promises';
import path from 'node:path';
import { capturePointsOf, pcapFile, type ScenarioKind } from './run-folder.ts';
import type { ScenarioResult } from './types.ts';

/**
 * Where a scenario's evidence is, relative to the run folder, for the readers of summary.json and junit.xml:
 * its folder and the pcaps that are there (a scenario that broke off early may have fewer).
 */
export async function folderFacts(
  runDir: string,
  dir: string,
  kind: Pick<ScenarioKind, 'clients' | 'attacker'>,
): Promise<Required<Pick<ScenarioResult, 'dir' | 'captures'>>> {
  const relative = path.relative(runDir, dir).split(path.sep).join('/');
  const pcaps = capturePointsOf(kind).map(pcapFile);
  const present = await Promise.all(
    pcaps.map((f) =>
      stat(path.join(dir, f)).then(
        (s) => s.isFile(),
        () => false,
      ),
    ),
  );
  return { dir: relative, captures: pcaps.filter((_, i) => present[i]).map((f) => `${relative}/${f}`) };
}
