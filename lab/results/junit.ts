import { warningLine } from './capture-warnings.ts';
import { xmlAttribute as attr, xmlText as text } from './xml-text.ts';
import type { FailureInfo, RunSummary, ScenarioResult } from './types.ts';

/**
 * Codes that mean the programs under test broke a promise: a check on the wire or on what a user saw, a
 * program that did not end cleanly, a line a user waits for that never came, a story that stalled.
 */
export const BROKEN_PROMISES: ReadonlySet<string> = new Set([
  'LAB_ERR_EXPECTATION',
  'LAB_ERR_PROGRAM_EXIT',
  'LAB_ERR_LINE_TIMEOUT',
  'LAB_ERR_CLIENT_OUTPUT',
  'LAB_ERR_SCENARIO_TIMEOUT',
]);

/**
 * A scenario failed because the programs broke a promise (a `<failure>`), not because the lab could not do
 * its job: every other code (engine, image, topology, capture, a garbled pcap) and any uncoded error, which
 * only a fault in the lab's own code throws, is a breakdown, which CI reporters show as an `<error>`.
 */
export function isBrokenPromise(failure: FailureInfo): boolean {
  return failure.code !== null && BROKEN_PROMISES.has(failure.code);
}

/**
 * JUnit XML as the Jenkins xUnit schema (junit-10.xsd) defines it, which GitLab, GitHub Actions' reporters
 * and Jenkins' junit step read too: one testsuite for the run, a testcase per scenario; a broken promise is a
 * `<failure>`, a lab breakdown an `<error>`. Each case's system-out names its seed, its folder and its pcaps
 * as `[[ATTACHMENT|path]]` lines, paths relative to the run folder (where junit.xml is); its system-err, what a
 * capture could not record (one cut short by a killed host).
 */
export function renderJUnit(summary: RunSummary): string {
  const failed = summary.scenarios.filter((s) => s.failure !== null);
  const failures = failed.filter((s) => isBrokenPromise(s.failure!)).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const counts = `tests="${summary.scenarios.length}" failures="${failures}" errors="${failed.length - failures}"`;
  const props: [string, string][] = [
    ['runId', summary.runId],
    ['seed', String(summary.seed ?? '')],
    ['impairment', summary.impairment.mechanism],
    ['node', summary.machine.node],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="udp-chat-lab" ${counts} time="${seconds(summary.durationMs)}">`,
    `  <testsuite name="lab run ${attr(summary.runId)}" ${counts} skipped="0" time="${seconds(summary.durationMs)}" timestamp="${attr(summary.date)}" hostname="${attr(summary.machine.hostname)}">`,
    '    <properties>',
    ...props.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
    '    </properties>',
    ...summary.scenarios.map((s) => testCase(s, summary.seed)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testCase(s: ScenarioResult, runSeed: RunSummary['seed']): string {
  const open = `    <testcase classname="lab.scenarios" name="${attr(s.name)}" time="${(s.durationMs / 1000).toFixed(3)}">`;
  const parts = [open];
  if (s.failure) {
    const f = s.failure;
    const element = isBrokenPromise(f) ? 'failure' : 'error';
    const body = f.stack && f.stack !== f.message ? `${f.message}\n${f.stack}` : f.message;
    parts.push(
      `      <${element} message="${attr(f.message)}" type="${attr(f.code ?? 'Error')}">${text(body)}</${element}>`,
    );
  }
  parts.push(`      <system-out>${text(systemOut(s, runSeed))}</system-out>`);
  // Reporters show system-err beside the verdict: a capture that misses part of the story must be seen.
  const warnings = (s.captureWarnings ?? []).map(warningLine);
  if (warnings.length > 0) parts.push(`      <system-err>${text(`\n${warnings.join('\n')}\n`)}</system-err>`);
  parts.push('    </testcase>');
  return parts.join('\n');
}

function systemOut(s: ScenarioResult, runSeed: RunSummary['seed']): string {
  const seed = s.seed ?? runSeed;
  const lines = [
    `seed: ${seed ?? 'none'}${seed === null || seed === undefined ? '' : ` (replay: npm run lab -- --seed ${seed} ${s.name})`}`,
    ...(s.dir ? [`folder: ${s.dir}/`] : []),
    `datagrams: sent ${s.datagrams.sent}, dropped ${s.datagrams.dropped}, resent ${s.datagrams.resent}`,
    ...(s.captures ?? []).map((p) => `[[ATTACHMENT|${p}]]`),
  ];
  return `\n${lines.join('\n')}\n`;
}
