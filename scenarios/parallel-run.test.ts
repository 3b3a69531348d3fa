import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../lab/engine/docker-client.ts';
import { REPO_ROOT } from '../lab/engine/ensure-lab-image.ts';
import { RUN_LABEL } from '../lab/engine/labels.ts';
import { RUN_FILE, type RunSummary } from '../lab/results/index.ts';

// `npm run lab` as a person (or a CI job) runs it: the real command, several scenarios at once.
let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'lab-parallel-'));
});
afterAll(() => rm(out, { recursive: true, force: true }));

interface Lab {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Starts the lab in a process group of its own, as a shell starts a job (a Ctrl-C reaches the whole group). */
function startLab(args: string[]) {
  const child = spawn('bash', ['scripts/lab.sh', ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const done: Promise<Lab> = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    output,
  }));
  return { child, done, output: () => output };
}

const runLab = (args: string[]) => startLab(args).done;
const runDirOf = (output: string) => /results in (\S+)/.exec(output)?.[1] ?? '';
const testcases = async (runDir: string) =>
  [...(await readFile(path.join(runDir, RUN_FILE.junit), 'utf8')).matchAll(/<testcase [^>]*name="([^"]+)"/g)].map(
    (m) => m[1],
  );
const byLabel = (label: string) => JSON.stringify({ label: [label] });

describe('the lab with several scenarios at once', () => {
  it(
    'leaves no container or network behind when Ctrl-C comes in the middle of a parallel run',
    { timeout: 300_000 },
    async () => {
      const lab = startLab(['--jobs', '3', '--seed', '5', '--out', out, 'walkthrough', 'random-loss', 'server-killed']);
      const docker = dockerClient();
      let runId: string | undefined;
      const deadline = Date.now() + 180_000;
      // Wait until at least two scenarios have their hosts up at once.
      for (;;) {
        runId ??= /lab run (\S+),/.exec(lab.output())?.[1];
        const topologies = runId
          ? new Set(
              (await docker.listContainers({ all: true, filters: byLabel(`${RUN_LABEL}=${runId}`) })).map(
                (c) => c.Labels['udp-chat-lab.topology'],
              ),
            )
          : new Set();
        if (topologies.size >= 2) break;
        if (Date.now() > deadline || lab.child.exitCode !== null)
          throw new Error(`never two at once:\n${lab.output()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      process.kill(-lab.child.pid!, 'SIGINT');
      const ended = await lab.done;
      expect(ended.code, ended.output).toBe(130);
      expect(await docker.listContainers({ all: true, filters: byLabel(`${RUN_LABEL}=${runId}`) })).toEqual([]);
      expect(await docker.listNetworks({ filters: byLabel(`${RUN_LABEL}=${runId}`) })).toEqual([]);
    },
  );

  it(
    'runs every scenario exactly once over --shard 1/2 and 2/2, and --merge gives the cases of an unsharded run, in order',
    { timeout: 600_000 },
    async () => {
      const names = ['offline-target', 'chosen-drops', 'name-collision'];
      const common = ['--seed', '11', '--out', out, ...names];
      const whole = await runLab([...common, '--jobs', '3']);
      expect(whole.code, whole.output).toBe(0);
      // The table lists the scenarios in their order, whichever finished first.
      const rows = whole.output
        .split('\n')
        .filter((l) => /^(offline-target|chosen-drops|name-collision)\s+PASS/.test(l));
      expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['name-collision', 'chosen-drops', 'offline-target']);

      const shards = [await runLab([...common, '--shard', '1/2']), await runLab([...common, '--shard', '2/2'])];
      for (const s of shards) expect(s.code, s.output).toBe(0);
      const ran = await Promise.all(shards.map((s) => testcases(runDirOf(s.output))));
      expect(ran.flat().sort()).toEqual([...names].sort());
      expect(ran[0].length + ran[1].length).toBe(3);

      const merged = await runLab(['--merge', ...shards.map((s) => runDirOf(s.output)), '--out', out]);
      expect(merged.code, merged.output).toBe(0);
      const mergedDir = /into (\S+)/.exec(merged.output)![1];
      expect(await testcases(mergedDir)).toEqual(await testcases(runDirOf(whole.output)));
      const summary = JSON.parse(await readFile(path.join(mergedDir, RUN_FILE.summary), 'utf8')) as RunSummary;
      const wholeSummary = JSON.parse(
        await readFile(path.join(runDirOf(whole.output), RUN_FILE.summary), 'utf8'),
      ) as RunSummary;
      expect(summary.scenarios.map((s) => [s.name, s.passed, s.datagrams.dropped])).toEqual(
        wholeSummary.scenarios.map((s) => [s.name, s.passed, s.datagrams.dropped]),
      );
      expect(await readdir(mergedDir)).toEqual(expect.arrayContaining([RUN_FILE.report, ...names]));
    },
  );
});
