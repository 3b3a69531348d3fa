import { describe, expect, it } from 'vitest';
import { lateLanePlan } from './late-lane.ts';

const seqFilters = (commands: string[][]) =>
  commands.filter((c) => c[1] === 'filter').map((c) => Number(c[c.indexOf('u32', c.indexOf('u32') + 1) + 1]));

describe('the late lane (reordering)', () => {
  it('with netem, delays exactly the chosen seqs of that client', () => {
    const plan = lateLanePlan('eth1', [{ field: 'dst', ip: '10.231.3.11', seqs: [50, 150] }], 5, true);
    expect(seqFilters(plan.commands)).toEqual([50, 150]);
    expect(plan.commands.at(-1)).toEqual([
      'tc',
      'qdisc',
      'add',
      'dev',
      'eth1',
      'parent',
      '1:2',
      'handle',
      '20:',
      'netem',
      'delay',
      '5ms',
    ]);
    expect(plan.commands.filter((c) => c[1] === 'filter').every((c) => c.includes('10.231.3.11/32'))).toBe(true);
    expect(plan.mechanisms).toEqual(['htb', 'netem']);
  });

  it('without netem, sends each chosen seq behind its predecessor through a one-datagram token bucket', () => {
    const plan = lateLanePlan('eth1', [{ field: 'dst', ip: '10.231.3.11', seqs: [50, 0] }], 5, false);
    expect(seqFilters(plan.commands)).toEqual([0, 49, 50]);
    const tbf = plan.commands.at(-1)!;
    // One 2090-byte frame per 5 ms: 3344 kbit/s, and a bucket of one frame.
    expect(tbf.slice(tbf.indexOf('tbf'))).toEqual(['tbf', 'rate', '3344kbit', 'burst', '2190', 'limit', '200000']);
    expect(plan.mechanisms).toEqual(['htb', 'tbf']);
  });
});
