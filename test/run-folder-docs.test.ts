import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  filesLeftBy,
  RUN_FILE,
  SCENARIO_FOLDER,
  SCREENSHOTS_FOLDER,
  type ScenarioKind,
} from '../lab/results/run-folder.ts';
import { scenarios } from '../scenarios/index.ts';

// docs/LAB.md is held to the code that names a run folder's files and to the list of scenarios:
// a file the lab leaves, or a scenario it runs, that the docs do not describe fails here.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lab = () => readFile(path.join(ROOT, 'docs/LAB.md'), 'utf8');
const section = (doc: string, heading: string) => {
  const from = doc.indexOf(`\n${heading}\n`);
  expect(from, `docs/LAB.md has a section "${heading}"`).toBeGreaterThan(0);
  const to = doc.indexOf('\n## ', from + heading.length + 2);
  return doc.slice(from, to < 0 ? undefined : to);
};

/** Every kind of scenario the lab knows, with a client whose name the docs write as <name>. */
const KINDS: ScenarioKind[] = [0, 1, 2].flatMap((downloads) =>
  [false, true].map((flag) => ({
    clients: ['<name>'],
    downloads,
    dropRules: flag,
    attacker: flag,
    chatty: { server: flag, clients: flag ? ['<name>'] : [] },
  })),
);

describe('docs/LAB.md', () => {
  it("lists every file and folder a run folder and a scenario's folder can hold", async () => {
    const results = section(await lab(), '## Results');
    const names = new Set([
      ...Object.values(RUN_FILE),
      `${SCREENSHOTS_FOLDER}/`,
      ...Object.values(SCENARIO_FOLDER).map((f) => `${f}/`),
      ...KINDS.flatMap(filesLeftBy),
    ]);
    const missing = [...names].filter((n) => !results.includes(n));
    expect(missing, 'names the lab writes that the Results section of docs/LAB.md does not describe').toEqual([]);
  });

  it('has a row for every scenario `npm run lab` runs, and none for a scenario it does not', async () => {
    const table = section(await lab(), '## The scenarios');
    const rows = [...table.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(
      rows,
      "each scenario in scenarios/index.ts needs its row, in the same order, in docs/LAB.md's table of scenarios",
    ).toEqual(scenarios.map((s) => s.name));
  });
});
