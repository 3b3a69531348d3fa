import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detectNetem } from '../engine/netem.ts';
import { arrivalSpanMs, countSeqs, udpReceiver, udpSender } from '../host/udp-probe.ts';
import { LabTopology } from '../topology/lab-topology.ts';
import type { StartedLabTopology } from '../topology/started-lab-topology.ts';
import type { AppliedImpairments } from './applied-impairments.ts';
import { Impairments } from './impairments.ts';
import { RouterFaults } from './router-faults.ts';

const resultsDir = path.join(tmpdir(), `udp-chat-lab-impairment-test-${process.pid}`);
let topo: StartedLabTopology;
let applied: AppliedImpairments | undefined;

beforeAll(async () => {
  topo = await new LabTopology()
    .withScenario('imptest')
    .withClients(['alice', 'bob'])
    .withResultsDir(resultsDir)
    .start();
}, 600_000);

afterEach(async () => {
  await applied?.clear();
  applied = undefined;
});

afterAll(async () => {
  await topo?.stop();
  await rm(resultsDir, { recursive: true, force: true });
});

/** Sends `seqs` from the server to a client and returns how often each seq arrived. */
async function download(client: string, seqs: number[], port: number, gapMs = 2): Promise<Map<number, number>> {
  return (await downloadTimed(client, seqs, port, gapMs)).counts;
}

async function downloadTimed(client: string, seqs: number[], port: number, gapMs = 2) {
  const rx = await topo.client(client).spawn(udpReceiver(port, 800));
  await rx.waitForLine(/ready/);
  const tx = await topo.server.exec(udpSender(topo.client(client).ip, port, seqs, 2048, gapMs));
  expect(tx.exitCode).toBe(0);
  await rx.exitCode;
  return { counts: countSeqs(rx.stdout.lines), spanMs: arrivalSpanMs(rx.stdout.lines) };
}

describe('impairments on the router', () => {
  it('drops exactly the first n transmissions of seq k, for the chosen client only', async () => {
    applied = await new Impairments(topo).withDrop({ seq: 3, times: 2, client: 'alice' }).apply();
    expect(applied.mechanisms).toEqual(['nftables']);
    const seqs = [0, 1, 2, 3, 4, 3, 3, 3, 3];
    const alice = await download('alice', seqs, 41001);
    expect(alice.get(3)).toBe(3); // 5 sent, the first 2 dropped
    expect([0, 1, 2, 4].map((s) => alice.get(s))).toEqual([1, 1, 1, 1]);
    const bob = await download('bob', seqs, 41002);
    expect(bob.get(3)).toBe(5);
    const counters = await applied.counters();
    expect(counters.map((c) => c.packets)).toEqual([2]);
  });

  it('gives each client its own quota when a drop is for all', async () => {
    applied = await new Impairments(topo).withDrop({ seq: 5, times: 1 }).apply();
    const [alice, bob] = await Promise.all([download('alice', [5, 5], 41003), download('bob', [5, 5], 41004)]);
    expect([alice.get(5), bob.get(5)]).toEqual([1, 1]);
  });

  it('installs a seeded plan of 500+ per-seq rules quickly and drops what it planned', async () => {
    const datagrams = 2000;
    applied = await new Impairments(topo)
      .withSeededLoss({ percent: 30, seed: 1234, datagrams, client: 'alice' })
      .apply();
    const { plan } = applied.plans[0];
    expect(plan.seed).toBe(1234);
    expect(plan.drops.length).toBeGreaterThan(500);
    expect(applied.nftRules).toBe(plan.drops.length);
    expect(applied.installMs).toBeLessThan(5_000);
    console.log(`installed ${applied.nftRules} drop rules in ${applied.installMs} ms`);
    // Send every seq once: exactly the seqs planned to lose their first transmission are missing.
    const seqs = Array.from({ length: datagrams }, (_, i) => i);
    const got = await download('alice', seqs, 41005, 0);
    const missing = seqs.filter((s) => !got.has(s));
    expect(missing).toEqual(plan.drops.map((d) => d.seq));
  });

  it('rate-limits a direction with tbf', async () => {
    applied = await new Impairments(topo).withRate({ rate: '1mbit' }).apply();
    expect(applied.mechanisms).toEqual(['tbf']);
    const qdisc = await topo.router.execOk(['tc', 'qdisc', 'show', 'dev', topo.router.clientSide.iface]);
    expect(qdisc.stdout).toMatch(/tbf .*rate 1Mbit/);
    // 60 datagrams (123 kB) at full speed: past the 64 kB burst, 1 Mbit/s spreads them over ≥ 0.4 s.
    const seqs = Array.from({ length: 60 }, (_, i) => i);
    const limited = await downloadTimed('bob', seqs, 41006, 0);
    expect(limited.spanMs).toBeGreaterThan(350);
    await applied.clear();
    applied = undefined;
    const free = await downloadTimed('bob', seqs, 41016, 0);
    expect(free.counts.size).toBe(60);
    expect(free.spanMs).toBeLessThan(300);
  });

  it('rate-limits one client with an htb class, leaving the other alone', async () => {
    applied = await new Impairments(topo).withRate({ rate: '1mbit', client: 'alice' }).apply();
    expect(applied.mechanisms).toEqual(['htb']);
    const seqs = Array.from({ length: 60 }, (_, i) => i);
    const [alice, bob] = await Promise.all([
      downloadTimed('alice', seqs, 41007, 0),
      downloadTimed('bob', seqs, 41008, 0),
    ]);
    expect(alice.spanMs).toBeGreaterThan(350);
    expect(bob.counts.size).toBe(60);
    expect(bob.spanMs).toBeLessThan(300);
  });

  it('drops TCP at random with numgen (documented as not reproducible)', async () => {
    applied = await new Impairments(topo).withTcpLoss({ percent: 20, client: 'bob', direction: 'to-server' }).apply();
    expect(applied.toJSON()).toMatchObject({ tcpLoss: [{ flow: 'bob-to-server', percent: 20, reproducible: false }] });
    const rules = await topo.router.execOk(['nft', 'list', 'chain', 'inet', 'udp_chat_lab', 'forward']);
    expect(rules.stdout).toMatch(
      new RegExp(
        `ip saddr ${topo.client('bob').ip.replace(/\./g, '\\.')} ip daddr .* (tcp|meta l4proto 6) numgen random mod 10000 < 2000`,
      ),
    );
  });

  it('asks for netem features only where the kernel has netem, else fails with a coded error', async () => {
    const support = await detectNetem();
    const attempt = new Impairments(topo).withNetem({ delayMs: 50, duplicatePercent: 1 }).apply();
    if (support.available) {
      applied = await attempt;
      expect(applied.mechanisms).toContain('netem');
    } else {
      await expect(attempt).rejects.toMatchObject({
        code: 'LAB_ERR_NETEM_MISSING',
        message: expect.stringMatching(/delay, duplication/),
      });
      // Nothing half-applied.
      const qdisc = await topo.router.execOk(['tc', 'qdisc', 'show', 'dev', topo.router.clientSide.iface]);
      expect(qdisc.stdout).not.toMatch(/tbf|htb|netem/);
    }
  });
});

describe('faults armed on the router', () => {
  /** Sends seqs from alice to the server and returns how many arrived. */
  async function upload(seqs: number[], port: number): Promise<number> {
    const rx = await topo.server.spawn(udpReceiver(port, 800));
    await rx.waitForLine(/ready/);
    expect((await topo.client('alice').exec(udpSender(topo.server.ip, port, seqs))).exitCode).toBe(0);
    await rx.exitCode;
    return countSeqs(rx.stdout.lines).size;
  }

  it('partitions on the next datagram from the server, not before, then both ways until it heals', async () => {
    applied = await new Impairments(topo).apply();
    const faults = new RouterFaults(topo.router, applied);
    const partition = await faults.partitionOnNextDatagram();
    // Armed, the router still forwards what does not come from the server's network.
    expect(await upload([0, 1, 2], 41020)).toBe(3);
    expect(faults.events).toEqual([]);
    // The server's first datagram strikes: it and everything after it is lost, either way.
    expect((await download('alice', [0, 1, 2, 3, 4], 41021)).size).toBe(0);
    await partition.begun;
    expect(faults.events.map((e) => e.outage)).toEqual(['begins']);
    expect(await upload([0, 1, 2], 41022)).toBe(0);
    const { dropped } = await faults.heal();
    expect(dropped).toBe(8);
    expect((await download('alice', [0, 1, 2], 41023)).size).toBe(3);
  });

  it('partitions at once when told, both ways, until it heals', async () => {
    applied = await new Impairments(topo).apply();
    const faults = new RouterFaults(topo.router, applied);
    await faults.partition();
    expect(await upload([0, 1, 2], 41025)).toBe(0);
    expect((await download('alice', [0, 1, 2], 41026)).size).toBe(0);
    const { dropped } = await faults.heal();
    expect(dropped).toBe(6);
    expect(await upload([0, 1, 2], 41027)).toBe(3);
    expect(faults.events.map((e) => e.outage)).toEqual(['begins', 'ends']);
  });

  it('restarts: nothing forwarded while down, then its queues rebuilt as they were', async () => {
    applied = await new Impairments(topo).withRate({ rate: '1mbit' }).apply();
    const faults = new RouterFaults(topo.router, applied);
    const restarting = faults.restart(1500);
    // Inside the 1.5 s without forwarding (the restart's own commands take a moment to begin).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await upload([0, 1, 2], 41028)).toBe(0);
    const outcome = await restarting;
    expect(outcome.dropped).toBeGreaterThanOrEqual(3);
    expect(outcome.downMs).toBeGreaterThanOrEqual(1500);
    expect(outcome.after).toMatch(/tbf .*rate 1Mbit/);
    expect(await upload([0, 1, 2], 41029)).toBe(3);
    expect(faults.events.map((e) => e.outage)).toEqual(['begins', 'ends']);
  });

  it('starts nothing when an armed partition heals before its datagram came', async () => {
    applied = await new Impairments(topo).apply();
    const faults = new RouterFaults(topo.router, applied);
    const partition = await faults.partitionOnNextDatagram();
    expect((await faults.heal()).dropped).toBe(0);
    expect((await download('alice', [0, 1, 2], 41024)).size).toBe(3);
    await partition.begun;
    expect(faults.events.map((e) => e.outage)).toEqual(['ends']);
  });
});
