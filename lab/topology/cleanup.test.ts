import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../engine/docker-client.ts';
import { REPO_ROOT } from '../engine/ensure-lab-image.ts';
import { localOrDefaultEngine } from '../engine/lab-engine.ts';
import { LAB_IMAGE, RUN_LABEL, TOPOLOGY_LABEL } from '../engine/labels.ts';
import { cleanupLeftovers, HOSTNAME_LABEL, PID_LABEL } from './leftovers.ts';
import { newRunId } from './run-id.ts';

const docker = dockerClient();
const resultsDir = path.join(tmpdir(), `udp-chat-lab-cleanup-test-${process.pid}`);
const byLabel = (label: string) => JSON.stringify({ label: [label] });

afterAll(() => rm(resultsDir, { recursive: true, force: true }));

describe('cleanup', () => {
  it('removes a topology when its process gets SIGINT, then exits 130', async () => {
    const child = spawn(
      path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
      ['lab/topology/fixtures/hold-topology.ts', resultsDir],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const deadline = Date.now() + 120_000;
    while (!/^up /m.test(out) && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    const id = /^up (\S+)/m.exec(out)?.[1];
    expect(id, out).toBeDefined();
    expect(await docker.listContainers({ all: true, filters: byLabel(`${TOPOLOGY_LABEL}=${id}`) })).toHaveLength(3);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(130);
    expect(await docker.listContainers({ all: true, filters: byLabel(`${TOPOLOGY_LABEL}=${id}`) })).toEqual([]);
    expect(await docker.listNetworks({ filters: byLabel(`${TOPOLOGY_LABEL}=${id}`) })).toEqual([]);
  }, 180_000);

  it('cleanupLeftovers removes what a dead process left and spares a live one', async () => {
    await localOrDefaultEngine().labImage();
    const make = async (runId: string, pid: number) => {
      const labels = {
        [RUN_LABEL]: runId,
        [TOPOLOGY_LABEL]: `ucl-${runId}`,
        [PID_LABEL]: String(pid),
        [HOSTNAME_LABEL]: (await import('node:os')).hostname(),
      };
      await docker.createNetwork({ Name: `ucl-${runId}-net`, Labels: labels });
      await docker.createContainer({ name: `ucl-${runId}-c`, Image: LAB_IMAGE, Cmd: ['true'], Labels: labels });
    };
    const dead = newRunId();
    const alive = newRunId();
    await make(dead, 2 ** 22 + 12345); // above pid_max's default: no such process
    await make(alive, process.pid);
    try {
      const removed = await cleanupLeftovers();
      expect(removed.containers).toContain(`ucl-${dead}-c`);
      expect(removed.networks).toContain(`ucl-${dead}-net`);
      expect(removed.containers).not.toContain(`ucl-${alive}-c`);
      expect(await docker.listNetworks({ filters: byLabel(`${RUN_LABEL}=${dead}`) })).toEqual([]);
      expect(await docker.listNetworks({ filters: byLabel(`${RUN_LABEL}=${alive}`) })).toHaveLength(1);
    } finally {
      const byRun = await cleanupLeftovers(alive);
      expect(byRun.networks).toEqual([`ucl-${alive}-net`]);
    }
  }, 120_000);
});
