import { spawnSync } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../lab/analyze/analyze-captures.ts';
import { chartStates, chromiumMissing, openReport } from '../lab/report/testing/browser.ts';
import { CAPTURE_POINT, chartScreenshot, pcapFile, RUN_FILE, SCENARIO_FILE } from '../lab/results/run-folder.ts';
import { runLab, type LabRun } from '../lab/run/run-lab.ts';
import type { DownloadTimeline } from '../lab/timeline/index.ts';
import { scenarios } from './index.ts';

// What people look at, on one real lab run: the report in Chromium, the pcaps in tshark, a pcapng in `npm run analyze`.
const DISSECTOR = fileURLToPath(new URL('../docs/wireshark/udp_chat_lab.lua', import.meta.url));
const missingTool = (cmd: string, pkg: string) =>
  spawnSync(cmd, ['--version'], { encoding: 'utf8' }).error
    ? `${cmd} is not installed (apt-get install -y ${pkg})`
    : null;
const noChromium = chromiumMissing();
const noTshark = missingTool('tshark', 'tshark') ?? missingTool('editcap', 'wireshark-common');
const noTcprewrite = missingTool('tcprewrite', 'tcpreplay');
const noXmllint = missingTool('xmllint', 'libxml2-utils');
const XSD = fileURLToPath(new URL('../lab/results/schema/junit-10.xsd', import.meta.url));
/** The colours of first transmissions, dropped first transmissions and resends in the report's charts. */
const SEEN = { first: '#1f77b4', firstDropped: '#d62728', resend: '#2ca02c' };

let run: LabRun;
let out: string;
const timelinesOf = async (scenario: string): Promise<DownloadTimeline[]> =>
  JSON.parse(await readFile(path.join(run.runDir, scenario, SCENARIO_FILE.timeline), 'utf8')).downloads;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'lab-views-'));
  const chosen = ['chosen-drops', 'random-loss'].map((n) => scenarios.find((s) => s.name === n)!);
  run = await runLab({ scenarios: chosen, seed: 20261125, outDir: out, print: () => {} });
  expect(run.summary.passed).toBe(true);
}, 600_000);

afterAll(async () => {
  if (!process.env.LAB_KEEP_RESULTS) await rm(out, { recursive: true, force: true });
});

describe.skipIf(noChromium !== null)(
  `report.html of a real lab run in Chromium${noChromium ? ` (skipped: ${noChromium})` : ''}`,
  () => {
    it('draws every chart with no console error, legends equal to the marks, zoom, links that resolve, a screenshot each', async () => {
      await using report = await openReport(path.join(run.runDir, RUN_FILE.report));
      const states = await chartStates(report.page);
      expect(report.errors).toEqual([]);
      const expected = [...(await timelinesOf('chosen-drops')), ...(await timelinesOf('random-loss'))];
      expect(states).toHaveLength(expected.length);
      states.forEach((s, i) => {
        const n = Object.fromEntries(s.legend.map((l) => [l.series, l.count]));
        for (const l of s.legend) expect(l.drawn, `${i} ${l.series}`).toBe(l.count);
        const c = expected[i].counts;
        expect(n.first + n.firstDropped + n.resend + n.resendDropped).toBe(c.sent);
        expect(n.firstDropped + n.resendDropped).toBe(c.dropped);
        expect(n.resend + n.resendDropped).toBe(c.resent);
        expect(n.requested).toBe(c.requestedSeqs);
        expect(s.inked).toBeGreaterThan(5000);
      });
      // The random-loss charts show first transmissions, drops and resends, all of them drawn, each seen in its colour.
      for (const s of states.slice(1))
        for (const series of ['first', 'firstDropped', 'resend'])
          expect(s.legend.find((l) => l.series === series)!.drawn).toBeGreaterThan(20);
      const seen = await chartStates(report.page, Object.values(SEEN));
      for (const s of seen.slice(1))
        for (const [series, colour] of Object.entries(SEEN))
          expect(s.pixels[colour], `${s.id}: pixels of ${series}`).toBeGreaterThan(150);

      const links = await report.page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')!));
      for (const href of links) {
        if (href.startsWith('#')) expect(await report.page.locator(href).count(), href).toBe(1);
        else await expect(access(path.join(run.runDir, decodeURIComponent(href))), href).resolves.toBeUndefined();
      }

      const chart = report.page.locator('#chart-0 canvas.sequence').first();
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.boundingBox())!;
      await report.page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
      await report.page.mouse.wheel(0, -600);
      await expect.poll(async () => (await chartStates(report.page))[0].view[1]).toBeLessThan(states[0].view[1] * 0.6);
      await chart.dblclick();

      const sections = await report.page.$$eval('section', (ss) => ss.map((s) => s.id.replace(/^scenario-/, '')));
      for (const scenario of sections) {
        const figures = report.page.locator(`section#scenario-${scenario} figure.download-chart`);
        for (let i = 0; i < (await figures.count()); i++) {
          const file = path.join(run.runDir, chartScreenshot(scenario, i));
          await figures.nth(i).screenshot({ path: file });
          await expect(access(file)).resolves.toBeUndefined();
        }
      }
    });
  },
);

describe.skipIf(noTshark !== null)(`the lab's pcaps in tshark${noTshark ? ` (skipped: ${noTshark})` : ''}`, () => {
  const fields = (pcap: string, filter: string) => {
    const r = spawnSync(
      'tshark',
      ['-2', '-n', '-r', pcap, '-X', `lua_script:${DISSECTOR}`, '-Y', filter, '-T', 'fields', '-e', 'frame.number'],
      { encoding: 'utf8' },
    );
    expect(r.stderr.split('\n').filter((l) => l && !/Running as user/.test(l))).toEqual([]);
    return r.stdout.split('\n').filter(Boolean);
  };

  it('finds every datagram of the download and links each resend to its request', async () => {
    const [t] = await timelinesOf('chosen-drops');
    const pcap = path.join(run.runDir, 'chosen-drops', pcapFile(CAPTURE_POINT.routerServerSide));
    expect(fields(pcap, 'udpchat.seq')).toHaveLength(t.counts.sent);
    expect(fields(pcap, 'udpchat.request_in')).toHaveLength(t.counts.resent);
    expect(fields(pcap, 'udpchat.resent_in')).toHaveLength(t.counts.requests);
  });

  it.skipIf(noTcprewrite !== null)(
    `still finds them when the download's port is one Wireshark gives to EtherNet/IP (44818)${noTcprewrite ? ` (skipped: ${noTcprewrite})` : ''}`,
    async () => {
      const [t] = await timelinesOf('chosen-drops');
      const from = path.join(run.runDir, 'chosen-drops', pcapFile(CAPTURE_POINT.routerServerSide));
      // As if the client had picked 44818: the udp| line says so (same length), and tcprewrite moves the datagrams.
      const bytes = Buffer.from(await readFile(from));
      const line = Buffer.from(`udp|${t.udpPort}\n`);
      expect(line.length).toBe('udp|44818\n'.length);
      const at = bytes.indexOf(line);
      expect(at).toBeGreaterThan(0);
      Buffer.from('udp|44818\n').copy(bytes, at);
      const patched = path.join(out, 'patched.pcap');
      const moved = path.join(out, 'port-44818.pcap');
      await writeFile(patched, bytes);
      const r = spawnSync(
        'tcprewrite',
        [`--portmap=${t.udpPort}:44818`, '--fixcsum', `--infile=${patched}`, `--outfile=${moved}`],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(fields(moved, 'udp.port == 44818 && !udpchat')).toEqual([]);
      expect(fields(moved, 'udp.dstport == 44818 && udpchat.seq')).toHaveLength(t.counts.sent);
      // Without the dissector's claim on the port, Wireshark reads them as EtherNet/IP.
      const plain = spawnSync('tshark', ['-n', '-r', moved, '-Y', 'enip', '-T', 'fields', '-e', 'frame.number'], {
        encoding: 'utf8',
      });
      expect(plain.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    },
  );

  it("npm run analyze on pcapng conversions of the router's pcaps reproduces the lab's counts", async () => {
    const dir = path.join(run.runDir, 'random-loss');
    const converted = [];
    for (const point of [CAPTURE_POINT.routerServerSide, CAPTURE_POINT.routerClientSide]) {
      const ng = path.join(out, `${point}.pcapng`);
      expect(spawnSync('editcap', ['-F', 'pcapng', path.join(dir, pcapFile(point)), ng]).status).toBe(0);
      converted.push(ng);
    }
    const analysis = await analyzeCaptures(converted, { pausePercent: 50 });
    expect(analysis.broken).toBeUndefined();
    const lab = await timelinesOf('random-loss');
    expect(analysis.timelines.map((t) => [t.client.ip, t.counts])).toEqual(lab.map((t) => [t.client.ip, t.counts]));
  });
});

describe.skipIf(noXmllint !== null)(`junit.xml of a real lab run${noXmllint ? ` (skipped: ${noXmllint})` : ''}`, () => {
  it('is valid against the Jenkins xUnit schema, one case per scenario with its pcaps attached', async () => {
    const junit = path.join(run.runDir, RUN_FILE.junit);
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD, junit], { encoding: 'utf8' });
    expect(r.stderr.trim()).toBe(`${junit} validates`);
    const xml = await readFile(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain('[[ATTACHMENT|random-loss/router-server-side.pcap]]');
  });
});
