import { stat } from 'node:fs/promises';
import path from 'node:path';
import { filesLeftBy, type ScenarioKind } from './run-folder.ts';

/**
 * The files of a scenario folder that are there, of those a scenario of this kind can leave:
 * a scenario that broke off early leaves fewer, and a program's usually silent stream only when it spoke.
 */
export async function filesPresent(dir: string, kind: ScenarioKind): Promise<string[]> {
  const possible = filesLeftBy({ ...kind, chatty: { server: true, clients: kind.clients } });
  const present = await Promise.all(
    possible.map((file) =>
      stat(path.join(dir, file)).then(
        (s) => s.isFile(),
        () => false,
      ),
    ),
  );
  return possible.filter((_, i) => present[i]);
}
