import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTimelines } from '../timeline/index.ts';
import { simulateDownload } from '../timeline/testing/simulate-download.ts';
import { toReadableJson } from './readable-json.ts';
import { scenarioResult } from './scenario-result.ts';
import { scenarioDir } from './run-folder.ts';
import { writeRunSummary, writeScenarioResults } from './write-results.ts';
import { summaryOf } from './testing/sample-summary.ts';
import { machineInfo } from './machine-info.ts';

describe('writing results', () => {
  it('writes timeline.json and result.json for a scenario, with the datagram counts', async () => {
    const timelines = buildTimelines(
      await simulateDownload({ n: 6, pausePercent: 50, drops: { 1: 1 }, atPause: 'proceed' }).input({
        pausePercent: 50,
      }),
    );
    const dir = scenarioDir(await mkdtemp(join(tmpdir(), 'run-')), 'drops / both halves');
    expect(dir).toMatch(/drops-both-halves$/);
    const result = scenarioResult('drops / both halves', 812.7, timelines);
    await writeScenarioResults(dir, result, timelines);
    const written = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8'));
    expect(written).toEqual({
      name: 'drops / both halves',
      passed: true,
      durationMs: 813,
      datagrams: { sent: 7, dropped: 1, resent: 1 },
      failure: null,
    });
    const timelineText = await readFile(join(dir, 'timeline.json'), 'utf8');
    expect(JSON.parse(timelineText)).toEqual({ downloads: timelines });
    // One event per line keeps a long download readable.
    expect(timelineText).toContain(
      '\n        { "t": 0.00905, "kind": "send", "seq": 1, "attempt": 0, "dropped": true, "frame": 10, "arrived": null },\n',
    );
  });

  it('writes summary.json and junit.xml for the run', async () => {
    const runDir = join(await mkdtemp(join(tmpdir(), 'run-')), 'r1');
    const summary = { ...summaryOf([scenarioResult('walkthrough', 10, [])]), machine: machineInfo() };
    await writeRunSummary(runDir, summary);
    expect(JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8'))).toEqual(summary);
    expect(await readFile(join(runDir, 'junit.xml'), 'utf8')).toContain(
      '<testcase classname="lab.scenarios" name="walkthrough" time="0.010">',
    );
  });
});

describe('toReadableJson', () => {
  it('keeps flat objects and number arrays on one line and round-trips', () => {
    const value = { a: [1, 2], b: { c: 'x"y', d: null, e: undefined }, f: [{ g: 1 }, { h: [3] }], i: [], j: {} };
    const text = toReadableJson(value);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    expect(text).toBe(
      '{\n  "a": [1, 2],\n  "b": { "c": "x\\"y", "d": null },\n  "f": [\n    { "g": 1 },\n    { "h": [3] }\n  ],\n  "i": [],\n  "j": {}\n}\n',
    );
  });

  it('breaks nested or long structures over lines', () => {
    const text = toReadableJson({ outer: { inner: { deep: 1 } }, long: 'x'.repeat(200) });
    expect(text).toBe(`{\n  "outer": { "inner": { "deep": 1 } },\n  "long": "${'x'.repeat(200)}"\n}\n`);
    expect(toReadableJson({ a: { b: { c: { d: 1 } } } })).toBe('{\n  "a": {\n    "b": { "c": { "d": 1 } }\n  }\n}\n');
  });
});
