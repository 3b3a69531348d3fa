import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lab/engine/ensure-lab-image.ts';
import { localOrDefaultEngine } from '../lab/engine/lab-engine.ts';
import { RUN_LABEL } from '../lab/engine/labels.ts';
import { NestedEngine } from '../lab/engine/testing/nested-engine.ts';
import { downloadsFolder } from '../lab/results/index.ts';
import { runScenario, type ScenarioOutcome } from '../lab/scenario/run-scenario.ts';
import type { DownloadTimeline } from '../lab/timeline/index.ts';
import { newRunId } from '../lab/topology/run-id.ts';
import { scenarios } from './index.ts';

// A second Docker engine that cannot see this machine's files (dockerd in a privileged container,
// answering on a loopback TCP port): the lab must bring the code, the files and the results in
// and out through the Docker API alone, and the wire must tell the same story as on the local engine.
const seed = 4242;
let nested: NestedEngine | undefined;
let cannotStart: string | undefined;
let runDir: string;

beforeAll(async () => {
  runDir = await mkdtemp(path.join(tmpdir(), 'lab-remote-'));
  try {
    nested = await NestedEngine.start(localOrDefaultEngine());
  } catch (err) {
    if ((err as { code?: string }).code !== 'LAB_ERR_NESTED_ENGINE') throw err;
    cannotStart = (err as Error).message.split('\n')[0];
  }
}, 600_000);

afterAll(async () => {
  await nested?.stop();
  await rm(runDir, { recursive: true, force: true });
});

/** Which transmissions the link dropped (seq#attempt), in seq order: the order in time follows the timing. */
const dropsOf = (t: DownloadTimeline) =>
  t.events
    .flatMap((e) => ((e.kind === 'send' || e.kind === 'resend') && e.dropped ? [[e.seq, e.attempt]] : []))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([seq, attempt]) => `${seq}#${attempt}`);

/** Drops per client, the client named by its place in the address plan (.11 alice, .12 bob): subnets differ per engine. */
const dropsByClient = (o: ScenarioOutcome) =>
  Object.fromEntries(o.timelines.map((t) => [t.client.ip.split('.').at(-1), dropsOf(t)]));

/** SHA-256 of each client's saved copy, read from the scenario's folder on this machine. */
async function savedCopies(o: ScenarioOutcome): Promise<Record<string, string>> {
  const copies: Record<string, string> = {};
  for (const client of o.kind.clients) {
    const bytes = await readFile(path.join(o.dir, downloadsFolder(client), 'big-copy.bin'));
    copies[client] = createHash('sha256').update(bytes).digest('hex');
  }
  return copies;
}

describe('a remote Docker engine', () => {
  it(
    'runs a seeded scenario with nothing of this machine mounted, and the wire agrees with a local run of the same seed',
    { timeout: 900_000 },
    async (ctx) => {
      if (!nested) return ctx.skip(`a nested Docker engine cannot start here: ${cannotStart}`);
      expect(await nested.sees(REPO_ROOT), 'the nested engine must not see the working tree').toBe(false);
      const scenario = scenarios.find((s) => s.name === 'random-loss')!;
      const runId = newRunId();
      const local = await runScenario(
        { ...scenario, name: 'random-loss-local' },
        { runId, runDir, seed, engine: localOrDefaultEngine() },
      );
      // Kept, so that its containers can be inspected; removing the nested engine removes them.
      const remote = await runScenario(
        { ...scenario, name: 'random-loss-remote' },
        { runId, runDir, seed, engine: nested.engine, keep: true },
      );
      expect(local.result.failure?.message ?? null).toBeNull();
      expect(remote.result.failure?.message ?? null).toBeNull();
      // The drops come from the seed; how often a late datagram is asked for again depends on timing.
      expect(remote.result.datagrams.dropped).toBe(local.result.datagrams.dropped);
      expect(dropsByClient(remote)).toEqual(dropsByClient(local));
      expect(remote.timelines.map((t) => t.counts.dropped).reduce((a, b) => a + b)).toBeGreaterThan(100);
      expect(await savedCopies(remote)).toEqual(await savedCopies(local));

      const docker = nested.engine.docker;
      const containers = await docker.listContainers({
        all: true,
        filters: JSON.stringify({ label: [`${RUN_LABEL}=${runId}`] }),
      });
      expect(containers.length).toBe(4);
      for (const c of containers) {
        const info = await docker.getContainer(c.Id).inspect();
        expect(info.Mounts, info.Name).toEqual([]);
        expect(info.HostConfig.Binds ?? [], info.Name).toEqual([]);
      }
    },
  );
});
