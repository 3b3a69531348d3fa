import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ExpectationFailed } from '../assertions/index.ts';
import { renderJUnit } from './junit.ts';
import { scenarioResult } from './scenario-result.ts';
import { summaryOf } from './testing/sample-summary.ts';

const nasty = `seq 7 was dropped at 1.234 s but never resent; line "a<b & 'c'" \x1b[31mred\x1b[0m \x00 end`;
const scenarios = [
  scenarioResult('walkthrough', 1500, []),
  scenarioResult('deterministic-drops & <pause>', 2500.4, [], new ExpectationFailed('everyDropResent', nasty)),
];

/** Python's XML parser, when there is one, as an independent judge of well-formedness. */
function parseWithPython(xml: string): { ok: boolean; out: string } | null {
  const script =
    'import sys,xml.etree.ElementTree as E;r=E.fromstring(sys.stdin.buffer.read());f=r.find(".//failure");print(r.get("failures"),f.get("type"),f.get("message"))';
  const p = spawnSync('python3', ['-c', script], { input: xml, encoding: 'utf8' });
  if (p.error) return null;
  return { ok: p.status === 0, out: `${p.stdout}${p.stderr}`.trim() };
}

describe('renderJUnit', () => {
  it('writes a testcase per scenario and a failure element per failed one, escaped', () => {
    const xml = renderJUnit(summaryOf(scenarios));
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="udp-chat-lab" tests="2" failures="1"/,
    );
    expect(xml).toContain('<testcase classname="lab.scenarios" name="walkthrough" time="1.500"/>');
    expect(xml).toContain('name="deterministic-drops &amp; &lt;pause&gt;" time="2.500">');
    expect(xml).toContain(
      '<failure message="seq 7 was dropped at 1.234 s but never resent; line &quot;a&lt;b &amp; &apos;c&apos;&quot; red \uFFFD end" type="LAB_ERR_EXPECTATION">',
    );
    expect(xml).toContain('<property name="seed" value="1234"/>');
    expect(xml).toContain('hostname="ci&lt;1&gt;"');
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
  });

  it('is well-formed XML to an independent parser', (ctx) => {
    const parsed = parseWithPython(renderJUnit(summaryOf(scenarios)));
    if (!parsed) ctx.skip('python3 is not installed to parse the XML');
    expect(parsed!.out).toBe(
      `1 LAB_ERR_EXPECTATION seq 7 was dropped at 1.234 s but never resent; line "a<b & 'c'" red \uFFFD end`,
    );
    expect(parsed!.ok).toBe(true);
  });
});
