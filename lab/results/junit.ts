import type { RunSummary } from './types.ts';

/** JUnit XML as CI servers read it: one testsuite for the run, a testcase per scenario. */
export function renderJUnit(summary: RunSummary): string {
  const failures = summary.scenarios.filter((s) => !s.passed).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const props: [string, string][] = [
    ['runId', summary.runId],
    ['seed', String(summary.seed ?? '')],
    ['impairment', summary.impairment.mechanism],
    ['node', summary.machine.node],
  ];
  const cases = summary.scenarios.map((s) => {
    const open = `    <testcase classname="lab.scenarios" name="${attr(s.name)}" time="${seconds(s.durationMs)}"`;
    if (!s.failure) return `${open}/>`;
    const body = [
      s.failure.message,
      s.failure.stack && s.failure.stack !== s.failure.message ? `\n${s.failure.stack}` : '',
    ].join('');
    return `${open}>\n      <failure message="${attr(s.failure.message)}" type="${attr(s.failure.code ?? 'Error')}">${text(body)}</failure>\n    </testcase>`;
  });
  const counts = `tests="${summary.scenarios.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(summary.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="udp-chat-lab" ${counts}>`,
    `  <testsuite name="lab run ${attr(summary.runId)}" ${counts} timestamp="${attr(summary.date)}" hostname="${attr(summary.machine.hostname)}">`,
    '    <properties>',
    ...props.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

// Terminal colour codes and other control characters are not allowed in XML 1.0 at all, not even escaped.
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(s: string): string {
  return s
    .replace(ANSI, '')
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function attr(s: string): string {
  // Newlines in attributes are normalised to spaces by XML parsers unless written as references.
  return text(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
