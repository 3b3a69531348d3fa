import { describe, expect, it } from 'vitest';
import { ExpectationFailed } from '../assertions/index.ts';
import { buildTimelines } from '../timeline/build-timeline.ts';
import { simulateDownload } from '../timeline/testing/simulate-download.ts';
import { checkProtocolInvariants, combineFailures } from './protocol-invariants.ts';

describe('protocol invariants checked on every scenario', () => {
  it('accept a well-behaved lossy download', async () => {
    const capture = simulateDownload({ n: 10, pausePercent: 50, drops: { 2: 1, 7: 2 }, atPause: 'proceed' });
    const timelines = buildTimelines(await capture.input({ pausePercent: 50 }));
    expect(() => checkProtocolInvariants(timelines)).not.toThrow();
  });

  it('catch a server that sends past the pause, judged against the pause the scenario expects', async () => {
    // Simulated with --pause 100: everything goes out at once, as a server ignoring the pause would send it.
    const capture = simulateDownload({ n: 10, pausePercent: 100 });
    const timelines = buildTimelines(await capture.input({ pausePercent: 50 }));
    expect(() => checkProtocolInvariants(timelines)).toThrow(/seq 5 \(≥ H = 5\) was sent/);
  });

  it('report the wire first and the broken-off story as context', () => {
    const wire = new ExpectationFailed('nothingPastPauseBeforeProceed', 'seq 5 was sent early');
    const story = new Error('alice stdout: no line matching /x/ within 15000 ms; last lines:\n  a\n  b');
    const combined = combineFailures(story, wire) as ExpectationFailed;
    expect(combined.expectation).toBe('nothingPastPauseBeforeProceed');
    expect(combined.message).toBe(
      'seq 5 was sent early (and the story broke off: alice stdout: no line matching /x/ within 15000 ms)',
    );
    expect(combineFailures(story, undefined)).toBe(story);
    expect(combineFailures(undefined, wire)).toBe(wire);
  });
});
