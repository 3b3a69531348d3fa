import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeScenarioCharts } from '../report/write-charts.ts';
import { writeRunReport } from '../report/write-run-report.ts';
import {
  machineInfo,
  scenarioDir,
  scenarioResult,
  writeRunSummary,
  writeScenarioResults,
  type RunSummary,
} from '../results/index.ts';
import type { Analysis } from './analyze-captures.ts';

/**
 * Writes an analysis the way a lab run is written: summary.json, junit.xml and report.html in `outDir`,
 * and one folder (named after the first capture) with the timelines, the pictures and copies of the
 * captures, so that the frame numbers in the report open in Wireshark beside it.
 */
export async function writeAnalysis(
  outDir: string,
  files: string[],
  analysis: Analysis,
  started: { at: Date; ms: number },
): Promise<{ summary: RunSummary; report: string }> {
  const name = path.basename(files[0]).replace(/\.(pcapng|pcap|cap)$/i, '');
  const dir = scenarioDir(outDir, name);
  await mkdir(dir, { recursive: true });
  await Promise.all(files.map((f) => copyFile(f, path.join(dir, path.basename(f)))));
  const result = {
    ...scenarioResult(name, performance.now() - started.ms, analysis.timelines, analysis.broken),
    dir: path.basename(dir),
    captures: files.map((f) => `${path.basename(dir)}/${path.basename(f)}`),
    captureWarnings: analysis.warnings.map((w) => ({ ...w, file: `${path.basename(dir)}/${w.file}` })),
  };
  await writeScenarioResults(dir, result, analysis.timelines);
  await writeScenarioCharts(dir, analysis.timelines);
  const summary: RunSummary = {
    runId: path.basename(outDir),
    date: started.at.toISOString(),
    seed: null,
    machine: machineInfo(),
    impairment: {
      mechanism: 'none (captures analysed as they are)',
      captures: files.map((f) => path.basename(f)),
    },
    passed: result.passed,
    durationMs: Math.round(performance.now() - started.ms),
    scenarios: [result],
  };
  await writeRunSummary(outDir, summary);
  const kind = { clients: [], downloads: analysis.timelines.length, dropRules: false };
  const report = await writeRunReport(outDir, summary, [
    {
      result,
      timelines: analysis.timelines,
      dir,
      kind,
      title: `npm run analyze on ${files.map((f) => path.basename(f)).join(', ')}`,
    },
  ]);
  return { summary, report };
}
