import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExpectationFailed } from '../assertions/index.ts';
import { CaptureIncompleteError } from '../capture/capture-errors.ts';
import { ProgramExitError, ScenarioTimeoutError } from '../scenario/scenario-errors.ts';
import { DockerUnavailableError } from '../engine/engine-errors.ts';
import { BROKEN_PROMISES, renderJUnit } from './junit.ts';
import { scenarioResult } from './scenario-result.ts';
import { summaryOf } from './testing/sample-summary.ts';

const XSD = fileURLToPath(new URL('./schema/junit-10.xsd', import.meta.url));
const nasty = `seq 7 was dropped at 1.234 s but never resent; line "a<b & 'c'" \x1b[31mred\x1b[0m \x00 end`;
const scenarios = [
  {
    ...scenarioResult('walkthrough', 1500, []),
    seed: 77,
    dir: 'walkthrough',
    captures: ['walkthrough/server.pcap', 'walkthrough/router-client-side.pcap'],
    captureWarnings: [
      {
        file: 'walkthrough/server.pcap',
        kind: 'cut-short' as const,
        message: 'cut short: tcpdump was killed (exit 137) with its host, so it misses what came after',
      },
    ],
  },
  scenarioResult('deterministic-drops & <pause>', 2500.4, [], new ExpectationFailed('everyDropResent', nasty)),
  scenarioResult(
    'slow-link',
    900,
    [],
    new CaptureIncompleteError([{ point: 'router-client-side', droppedByKernel: 3 }]),
  ),
];
const xml = renderJUnit(summaryOf(scenarios));

function xmllintMissing(): string | null {
  const probe = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  return probe.error ? 'xmllint is not installed (apt-get install -y libxml2-utils)' : null;
}
const noXmllint = xmllintMissing();

/** Python's XML parser, when there is one, as an independent judge of well-formedness. */
function parseWithPython(input: string): { ok: boolean; out: string } | null {
  const script =
    'import sys,xml.etree.ElementTree as E;r=E.fromstring(sys.stdin.buffer.read());f=r.find(".//failure");print(r.get("failures"),r.get("errors"),f.get("type"),f.get("message"))';
  const p = spawnSync('python3', ['-c', script], { input, encoding: 'utf8' });
  if (p.error) return null;
  return { ok: p.status === 0, out: `${p.stdout}${p.stderr}`.trim() };
}

const ERRORS_MD = readFileSync(fileURLToPath(new URL('../../docs/ERRORS.md', import.meta.url)), 'utf8');

describe('what junit.xml calls a failure and what an error', () => {
  const verdicts = (errors: unknown[]) =>
    renderJUnit(summaryOf(errors.map((e, i) => scenarioResult(`s${i}`, 1, [], e))))
      .split('<testcase ')
      .slice(1)
      .map((c) => /<(failure|error) /.exec(c)?.[1]);

  it('a program that broke a promise is a <failure>; the lab that could not do its job, or crashed, an <error>', () => {
    expect(
      verdicts([
        new ExpectationFailed('everyDropResent', 'seq 7 was never resent'),
        new ProgramExitError(['the server exited 1']),
        new ScenarioTimeoutError('walkthrough', 120_000),
        new DockerUnavailableError('no engine answers'),
        new CaptureIncompleteError([{ point: 'router-server-side', droppedByKernel: 1 }]),
        new TypeError("Cannot read properties of undefined (reading 'ip')"),
      ]),
    ).toEqual(['failure', 'failure', 'failure', 'error', 'error', 'error']);
  });

  it('says in docs/ERRORS.md exactly which codes are failures; every one of them is a documented code', () => {
    const sentence = ERRORS_MD.split('\n').find((l) => l.includes('as a `<failure>`'));
    expect(sentence, 'docs/ERRORS.md names the codes junit.xml reports as <failure>').toBeDefined();
    const named = [...sentence!.matchAll(/`(LAB_ERR_[A-Z_]+)`/g)].map((m) => m[1]);
    expect(new Set(named)).toEqual(BROKEN_PROMISES);
    for (const code of BROKEN_PROMISES) expect(ERRORS_MD).toContain(`| \`${code}\` |`);
  });
});

describe('renderJUnit', () => {
  it('reports a broken promise as a failure and a lab breakdown as an error, escaped', () => {
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="udp-chat-lab" tests="3" failures="1" errors="1" time="4.321">/,
    );
    expect(xml).toContain('name="deterministic-drops &amp; &lt;pause&gt;" time="2.500">');
    expect(xml).toContain(
      '<failure message="seq 7 was dropped at 1.234 s but never resent; line &quot;a&lt;b &amp; &apos;c&apos;&quot; red \uFFFD end" type="LAB_ERR_EXPECTATION">',
    );
    expect(xml).toContain(
      '<error message="the captures are incomplete, so the wire cannot be judged: router-client-side lost 3 packets in the kernel (the machine was too busy; the server&apos;s --rate paces downloads)" type="LAB_ERR_CAPTURE_INCOMPLETE">',
    );
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml.match(/<error /g)).toHaveLength(1);
    expect(xml).toContain('<property name="seed" value="1234"/>');
    expect(xml).toContain('hostname="ci&lt;1&gt;"');
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
  });

  it('gives each case its seed, its folder and its pcaps as attachments, relative to the run folder', () => {
    expect(xml).toContain(
      [
        '<system-out>',
        'seed: 77 (replay: npm run lab -- --seed 77 walkthrough)',
        'folder: walkthrough/',
        'datagrams: sent 0, dropped 0, resent 0',
        '[[ATTACHMENT|walkthrough/server.pcap]]',
        '[[ATTACHMENT|walkthrough/router-client-side.pcap]]',
        '</system-out>',
        '      <system-err>',
        'capture warning: walkthrough/server.pcap: cut short: tcpdump was killed (exit 137) with its host, so it misses what came after',
        '</system-err>',
        '    </testcase>',
      ].join('\n'),
    );
    // Only a case with a warning has a system-err.
    expect(xml.match(/<system-err>/g)).toHaveLength(1);
    // Without a scenario seed of its own, a case names the run's.
    expect(xml).toContain('seed: 1234 (replay: npm run lab -- --seed 1234 slow-link)');
    expect(xml).not.toMatch(/ATTACHMENT\|\//);
  });

  it.skipIf(noXmllint !== null)(
    `is valid against the Jenkins xUnit schema junit-10.xsd${noXmllint ? ` (skipped: ${noXmllint})` : ''}`,
    () => {
      const validate = (doc: string) =>
        spawnSync('xmllint', ['--noout', '--schema', XSD, '-'], { input: doc, encoding: 'utf8' });
      const ok = validate(xml);
      expect(ok.stderr.trim()).toBe('- validates');
      expect(ok.status).toBe(0);
      // The schema does reject what the lab once wrote: `skipped` on <testsuites>.
      const old = validate(
        xml.replace('<testsuites name="udp-chat-lab"', '<testsuites skipped="0" name="udp-chat-lab"'),
      );
      expect(old.status).not.toBe(0);
      expect(old.stderr).toMatch(/attribute 'skipped' is not allowed/);
    },
  );

  it('is well-formed XML to an independent parser', (ctx) => {
    const parsed = parseWithPython(xml);
    if (!parsed) ctx.skip('python3 is not installed to parse the XML');
    expect(parsed!.out).toBe(
      `1 1 LAB_ERR_EXPECTATION seq 7 was dropped at 1.234 s but never resent; line "a<b & 'c'" red \uFFFD end`,
    );
    expect(parsed!.ok).toBe(true);
  });
});
