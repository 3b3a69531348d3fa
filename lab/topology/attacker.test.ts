import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../engine/docker-client.ts';
import { TOPOLOGY_LABEL } from '../engine/labels.ts';
import type { LabHost } from '../host/lab-host.ts';
import { udpSender } from '../host/udp-probe.ts';
import { LabTopology } from './lab-topology.ts';
import type { StartedLabTopology } from './started-lab-topology.ts';

const resultsDir = path.join(tmpdir(), `udp-chat-lab-attacker-test-${process.pid}`);
let hub: StartedLabTopology;
let switched: StartedLabTopology;

beforeAll(async () => {
  const start = (name: string, sharedMedium: boolean) =>
    new LabTopology()
      .withScenario(name)
      .withClients(['alice'])
      .withAttacker({ on: 'clients', sharedMedium })
      .withResultsDir(path.join(resultsDir, name))
      .start();
  [hub, switched] = await Promise.all([start('attacker-hub', true), start('attacker-switched', false)]);
}, 600_000);

afterAll(async () => {
  await Promise.all([hub?.stop(), switched?.stop()]);
  await rm(resultsDir, { recursive: true, force: true });
});

/** How many of alice's datagrams to the server the attacker's tcpdump saw within a few seconds. */
async function overheard(topo: StartedLabTopology, port: number): Promise<number> {
  const alice = topo.client('alice');
  const filter = `udp and src host ${alice.ip} and dst port ${port}`;
  const sniff = await topo.attacker!.spawn(['timeout', '5', 'tcpdump', '-n', '-l', '-i', 'eth0', '-c', '3', filter]);
  await sniff.stderr.waitFor(/listening on/, 10_000);
  expect((await alice.exec(udpSender(topo.server.ip, port, [1, 2, 3]))).exitCode).toBe(0);
  await sniff.exitCode;
  return sniff.stdout.lines.filter((l) => l.includes(`${alice.ip}.`) && l.includes(`.${port}: UDP`)).length;
}

/** Prints `from <ip>:<port> <bytes>` for each datagram it receives on `port`. */
function sourcePrinter(port: number): string[] {
  const js = `const s = require('node:dgram').createSocket('udp4');
s.on('message', (m, r) => { console.log('from ' + r.address + ':' + r.port + ' ' + m.length); process.exit(0); });
s.bind(${port}, () => console.log('ready')); setTimeout(() => process.exit(3), 8000);`;
  return ['node', '-e', js];
}

async function spoofFrom(attacker: LabHost, source: string, sourcePort: number, to: string, port: number) {
  const js = `const s = require('node:dgram').createSocket('udp4');
s.bind(${sourcePort}, ${JSON.stringify(source)}, () => s.send(Buffer.from('forged'), ${port}, ${JSON.stringify(to)}, (e) => { if (e) throw e; s.close(); }));`;
  return attacker.execOk(['node', '-e', js]);
}

describe('an attacker host', () => {
  it('sits on the network it was asked for, at .200, with a route to the other one through the router', async () => {
    const { attacker, networks, router } = hub;
    expect(attacker?.ip).toBe(networks.client.subnet.host(200));
    expect(attacker?.role).toBe('attacker');
    const route = await attacker!.execOk(['ip', 'route', 'get', hub.server.ip]);
    expect(route.stdout).toContain(`via ${router.clientSide.ip}`);
    expect(hub.hosts()).toContain(attacker);
  });

  it("overhears a client's unicast traffic on a shared medium, and nothing of it on a switched one", async () => {
    expect(await overheard(hub, 40011)).toBe(3);
    expect(await overheard(switched, 40012)).toBe(0);
  });

  it("sends datagrams that arrive with the server's address and a port of its choosing", async () => {
    const alice = hub.client('alice');
    const rx = await alice.spawn(sourcePrinter(40013));
    await rx.waitForLine(/^ready$/);
    await hub.attacker!.impersonate(hub.server.ip);
    await hub.attacker!.impersonate(hub.server.ip); // twice is fine
    await spoofFrom(hub.attacker!, hub.server.ip, 45678, alice.ip, 40013);
    expect(await rx.waitForLine(/^from /)).toBe(`from ${hub.server.ip}:45678 6`);
    expect(await rx.exitCode).toBe(0);
  });

  it('is removed with the rest of the topology', async () => {
    await hub.stop();
    const filters = JSON.stringify({ label: [`${TOPOLOGY_LABEL}=${hub.id}`] });
    expect(await dockerClient().listContainers({ all: true, filters })).toEqual([]);
    expect(await dockerClient().listNetworks({ filters })).toEqual([]);
  });
});
