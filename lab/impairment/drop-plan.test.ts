import { describe, expect, it } from 'vitest';
import { seededDropPlan } from './drop-plan.ts';

describe('seededDropPlan', () => {
  it('is identical for the same seed and differs for another', () => {
    const a = seededDropPlan({ percent: 10, seed: 42, datagrams: 1000 });
    const b = seededDropPlan({ percent: 10, seed: 42, datagrams: 1000 });
    const c = seededDropPlan({ percent: 10, seed: 43, datagrams: 1000 });
    expect(b.drops).toEqual(a.drops);
    expect(c.drops).not.toEqual(a.drops);
  });

  it('loses about the asked share of first transmissions', () => {
    const plan = seededDropPlan({ percent: 30, seed: 7, datagrams: 5000 });
    expect(plan.drops.length / 5000).toBeGreaterThan(0.27);
    expect(plan.drops.length / 5000).toBeLessThan(0.33);
    // Geometric: about p of the lost ones are lost again.
    const again = plan.drops.filter((d) => d.times >= 2).length / plan.drops.length;
    expect(again).toBeGreaterThan(0.25);
    expect(again).toBeLessThan(0.35);
  });

  it('caps consecutive losses and drops nothing at 0 %', () => {
    const plan = seededDropPlan({ percent: 99, seed: 1, datagrams: 200, maxConsecutive: 3 });
    expect(Math.max(...plan.drops.map((d) => d.times))).toBe(3);
    expect(seededDropPlan({ percent: 0, seed: 1, datagrams: 200 }).drops).toEqual([]);
  });

  it('rejects a percentage outside [0, 100)', () => {
    expect(() => seededDropPlan({ percent: 100, seed: 1, datagrams: 1 })).toThrow(/not in/);
  });
});
