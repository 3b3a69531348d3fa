import type { RunSummary } from '../types.ts';

/** Test support: a run summary around the given scenarios, with fixed run facts. */
export function summaryOf(scenarios: RunSummary['scenarios']): RunSummary {
  return {
    runId: '20261125-211500-ab12',
    date: '2026-11-25T21:15:00.000Z',
    seed: 1234,
    machine: {
      hostname: 'ci<1>',
      platform: 'linux',
      release: '6.1',
      arch: 'x64',
      cpus: 2,
      memoryGiB: 24,
      node: 'v24.21.0',
    },
    impairment: { mechanism: 'nftables' },
    passed: scenarios.every((s) => s.passed),
    durationMs: 4321,
    scenarios,
  };
}
