import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

// The boundaries of docs/ARCHITECTURE.md are .dependency-cruiser.cjs's rules. Each rule is shown to bite:
// a small tree laid out like this repository, with one forbidden import, must fail with that rule's name,
// and the same tree without it must pass. The real tree passing is `npm run lint`'s job.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEPCRUISE = path.join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

// A lawful little tree: every arrow here is allowed.
const LAWFUL: Record<string, string> = {
  'services/protocol/datagram.ts': 'export const CHUNK_SIZE = 2043;\n',
  'services/server/main.ts': "import { CHUNK_SIZE } from '../protocol/datagram.ts';\nexport const s = CHUNK_SIZE;\n",
  'services/client/main.ts': "import { CHUNK_SIZE } from '../protocol/datagram.ts';\nexport const c = CHUNK_SIZE;\n",
  'lab/errors/lab-error.ts': 'export class LabError extends Error {}\n',
  'lab/pcap/decode.ts':
    "import { CHUNK_SIZE } from '../../services/protocol/datagram.ts';\nimport { LabError } from '../errors/lab-error.ts';\nexport const d = [CHUNK_SIZE, LabError];\n",
  'lab/timeline/build.ts': "import { d } from '../pcap/decode.ts';\nexport const t = d;\n",
  'lab/results/write.ts': "import { t } from '../timeline/build.ts';\nexport const w = t;\n",
  'lab/report/draw.ts': "import { w } from '../results/write.ts';\nexport const r = w;\n",
  'lab/scenario/scenario.ts': "import { r } from '../report/draw.ts';\nexport const scenario = r;\n",
  'lab/cli.ts': "import { scenario } from './scenario/scenario.ts';\nexport const cli = scenario;\n",
  'scenarios/01-story.ts':
    "import { scenario } from '../lab/scenario/scenario.ts';\nimport { CHUNK_SIZE } from '../services/protocol/datagram.ts';\nexport default [scenario, CHUNK_SIZE];\n",
  'scenarios/main.ts':
    "import { cli } from '../lab/cli.ts';\nimport story from './01-story.ts';\nexport const m = [cli, story];\n",
};

// One forbidden import each: the file it goes into, the line, the rule that must catch it.
const BREAKS: { rule: string; file: string; line: string }[] = [
  { rule: 'lab-uses-only-the-protocol', file: 'lab/pcap/decode.ts', line: "import '../../services/server/main.ts';" },
  { rule: 'services-never-import-the-harness', file: 'services/server/main.ts', line: "import '../../lab/cli.ts';" },
  { rule: 'client-and-server-apart', file: 'services/client/main.ts', line: "import '../server/main.ts';" },
  { rule: 'server-and-client-apart', file: 'services/server/main.ts', line: "import '../client/main.ts';" },
  { rule: 'protocol-is-pure', file: 'services/protocol/datagram.ts', line: "import 'node:dgram';" },
  { rule: 'results-write-data-only', file: 'lab/results/write.ts', line: "import '../report/draw.ts';" },
  { rule: 'lab-floors: lab/timeline', file: 'lab/timeline/build.ts', line: "import '../scenario/scenario.ts';" },
  { rule: 'lab-never-imports-scenarios-or-scripts', file: 'lab/cli.ts', line: "import '../scenarios/01-story.ts';" },
  { rule: 'scenarios-speak-the-vocabulary', file: 'scenarios/01-story.ts', line: "import '../lab/pcap/decode.ts';" },
  { rule: 'scenarios-main-starts-the-cli', file: 'scenarios/main.ts', line: "import '../lab/report/draw.ts';" },
  { rule: 'no-cycles', file: 'lab/errors/lab-error.ts', line: "import type { d } from '../pcap/decode.ts';" },
];

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function layOut(extra?: { file: string; line: string }): Promise<string> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'architecture-'));
  const root = dir;
  await writeFile(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true } }),
  );
  for (const [file, text] of Object.entries(LAWFUL)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), extra?.file === file ? `${extra.line}\n${text}` : text);
  }
  return root;
}

/** The names of the rules the tree breaks (none: it passes). */
async function brokenRules(root: string): Promise<string[]> {
  const run = promisify(execFile);
  const args = ['services', 'lab', 'scenarios', '--config', CONFIG, '--output-type', 'json'];
  const { stdout } = await run(DEPCRUISE, args, { cwd: root }).catch((err: unknown) => {
    // depcruise exits non-zero when a rule is broken; its report is on stdout all the same.
    const failed = err as { stdout?: string };
    if (typeof failed.stdout !== 'string') throw err;
    return { stdout: failed.stdout };
  });
  const report = JSON.parse(stdout) as { summary: { violations: { rule: { name: string } }[] } };
  return [...new Set(report.summary.violations.map((v) => v.rule.name))];
}

describe('the architecture rules', () => {
  it('let a tree laid out by the rules pass', async () => {
    expect(await brokenRules(await layOut())).toEqual([]);
  }, 30_000);

  it.each(BREAKS)(
    'catch $rule: $file gets $line',
    async ({ rule, file, line }) => {
      expect(await brokenRules(await layOut({ file, line }))).toContain(rule);
    },
    30_000,
  );
});
