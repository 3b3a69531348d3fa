import { afterAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { localOrDefaultEngine } from '../engine/lab-engine.ts';
import { ownerLabels, RUN_LABEL, TOPOLOGY_LABEL } from '../engine/labels.ts';
import { AgentLink } from '../host/agent/agent-link.ts';
import { agentCommand } from '../host/agent/agent-script.ts';
import { LabHost } from '../host/lab-host.ts';
import { ServerProgram } from './server-program.ts';

// Server hosts whose kernel hands out only 54998 and 55000 as local ports for connect() (it tries
// every second port of the range first), with a tenth of a core each, so the server takes seconds
// to listen: a probe of 127.0.0.1:55000 made before the server listens gets 55000 itself about
// every third time, connects to itself, and leaves the port in TIME_WAIT for a minute, so the
// server's listen() fails with EADDRINUSE. On a real host the same happens by chance, one early
// probe in thousands; more probes come early when many scenarios share two cores.
const engine = localOrDefaultEngine();
const id = `ucl-server-start-test-${process.pid}`;
const containers: Docker.Container[] = [];
const servers: ServerProgram[] = [];

async function slowServerHost(n: number): Promise<LabHost> {
  const container = await engine.docker.createContainer({
    name: `${id}-${n}`,
    Image: await engine.appImage(),
    Cmd: agentCommand(),
    OpenStdin: true,
    Labels: { [RUN_LABEL]: id, [TOPOLOGY_LABEL]: id, ...ownerLabels() },
    HostConfig: {
      Init: true,
      NetworkMode: 'none',
      NanoCpus: 100_000_000,
      Sysctls: { 'net.ipv4.ip_local_port_range': '54998 55000' },
    },
  });
  containers.push(container);
  const agent = await AgentLink.attach(container, `${id}-${n}`);
  await container.start();
  return new LabHost('server', 'server', `${id}-${n}`, '127.0.0.1', container, agent);
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
  await Promise.all(containers.map((c) => c.remove({ force: true })));
});

describe('starting the server in a lab host', () => {
  it("waits for it to listen, and no connection of the lab's own takes its port", { timeout: 120_000 }, async () => {
    const hosts = await Promise.all([1, 2, 3].map(slowServerHost));
    for (const host of hosts) {
      const server = await ServerProgram.start(host, { pause: 50 });
      servers.push(server);
      expect(server.process.stderr.text()).toMatch(/listening 0\.0\.0\.0 ports 55000-55015/);
    }
  });

  it('waits for a server whose Node start-up takes 6 s, as on a busy machine', { timeout: 120_000 }, async () => {
    // Every `node` in this host starts 6 s late.
    const container = await engine.docker.createContainer({
      name: `${id}-slow-node`,
      Image: await engine.appImage(),
      Cmd: agentCommand(),
      OpenStdin: true,
      Env: ['PATH=/slow:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Labels: { [RUN_LABEL]: id, [TOPOLOGY_LABEL]: id, ...ownerLabels() },
      HostConfig: { Init: true, NetworkMode: 'none' },
    });
    containers.push(container);
    const agent = await AgentLink.attach(container, `${id}-slow-node`);
    await container.start();
    const host = new LabHost('server', 'server', `${id}-slow-node`, '127.0.0.1', container, agent);
    const wrapper =
      'real=$(PATH=/usr/local/bin:/usr/bin command -v node) && mkdir -p /slow && printf \'#!/bin/sh\\nsleep 6\\nexec %s "$@"\\n\' "$real" > /slow/node && chmod +x /slow/node';
    expect((await host.exec(['sh', '-c', wrapper])).exitCode).toBe(0);
    const server = await ServerProgram.start(host, { pause: 50 });
    servers.push(server);
    expect(server.process.stderr.text()).toMatch(/listening 0\.0\.0\.0 ports 55000-55015/);
  });
});
