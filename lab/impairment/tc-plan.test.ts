import { describe, expect, it } from 'vitest';
import { netemArgs, netemFeatures, tcPlan } from './tc-plan.ts';

describe('tcPlan', () => {
  it('uses a lone tbf for a rate on everyone', () => {
    const plan = tcPlan('eth0', [{ match: 'all', rate: '5mbit' }]);
    expect(plan.mechanisms).toEqual(['tbf']);
    expect(plan.commands[0].join(' ')).toMatch(/^tc qdisc replace dev eth0 root tbf rate 5mbit/);
  });

  it('builds an htb tree with a u32 filter per client', () => {
    const plan = tcPlan('eth1', [{ match: { field: 'dst', ip: '10.231.9.11' }, rate: '1mbit' }]);
    expect(plan.mechanisms).toEqual(['htb']);
    const text = plan.commands.map((c) => c.join(' '));
    expect(text).toContain(
      'tc filter add dev eth1 parent 1: protocol ip prio 1 u32 match ip dst 10.231.9.11/32 flowid 1:10',
    );
  });

  it('gives a bottleneck a short queue that drops: pfifo under a client class, a byte limit on tbf', () => {
    const perClient = tcPlan('eth1', [
      { match: { field: 'dst', ip: '10.231.9.11' }, rate: '20mbit', queuePackets: 64 },
    ]);
    expect(perClient.mechanisms).toEqual(['htb', 'pfifo']);
    expect(perClient.commands.map((c) => c.join(' '))).toContain(
      'tc qdisc add dev eth1 parent 1:10 handle 100: pfifo limit 64',
    );
    const all = tcPlan('eth0', [{ match: 'all', rate: '5mbit', queuePackets: 10 }]);
    expect(all.commands[0].join(' ')).toBe('tc qdisc replace dev eth0 root tbf rate 5mbit burst 64kb limit 20760');
  });

  it('puts netem at the root with a tbf below for netem and rate on everyone', () => {
    const plan = tcPlan('eth0', [{ match: 'all', rate: '5mbit', netem: { delayMs: 20, jitterMs: 5 } }]);
    expect(plan.mechanisms).toEqual(['netem', 'tbf']);
    expect(plan.commands[0]).toEqual([
      'tc',
      'qdisc',
      'replace',
      'dev',
      'eth0',
      'root',
      'handle',
      '1:',
      'netem',
      'delay',
      '20ms',
      '5ms',
    ]);
  });

  it('names the netem features asked for and gives reordering a delay', () => {
    expect(netemFeatures({ reorderPercent: 5, corruptPercent: 1 })).toEqual(['reordering', 'corruption']);
    expect(netemArgs({ reorderPercent: 5 })).toEqual(['delay', '10ms', 'reorder', '5%']);
  });
});
