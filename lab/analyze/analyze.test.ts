import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePcap } from '../pcap/testing/pcap-writer.ts';
import { simulateDownload } from '../timeline/testing/simulate-download.ts';

/** `npm run analyze` as a person runs it: the real program, its output and its exit code. */
function analyze(args: string[]) {
  const r = spawnSync('npx', ['tsx', 'lab/analyze/cli.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

async function captures() {
  const dir = await mkdtemp(path.join(tmpdir(), 'analyze-'));
  const c = simulateDownload({ n: 20, pausePercent: 50, drops: { 3: 1, 12: 2 }, atPause: 'proceed' });
  await writeFile(path.join(dir, 'server-side.pcap'), c.sent.pcap());
  await writeFile(path.join(dir, 'client-side.pcap'), c.received.pcap());
  return { dir, c };
}

describe('npm run analyze', () => {
  it('reads both sides, computes the drops and writes a lab run folder: exit 0 when every invariant holds', async () => {
    const { dir } = await captures();
    const out = path.join(dir, 'out');
    const r = analyze([
      path.join(dir, 'server-side.pcap'),
      path.join(dir, 'client-side.pcap'),
      '--out',
      out,
      '--pause',
      '50',
    ]);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toContain('q.txt by 10.77.1.20: completed; N = 20, sent 23, dropped 3, resent 3, 3 resend requests');
    expect(r.out).toContain('every invariant holds');
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.scenarios[0]).toMatchObject({ passed: true, datagrams: { sent: 23, dropped: 3, resent: 3 } });
    const timeline = JSON.parse(await readFile(path.join(out, 'server-side', 'timeline.json'), 'utf8'));
    expect(timeline.downloads[0].captures.sent).toBe('server-side.pcap');
    for (const f of ['report.html', 'junit.xml', 'server-side/timeline.svg', 'server-side/client-side.pcap'])
      await expect(readFile(path.join(out, f))).resolves.toBeTruthy();
  });

  it('exits 1 naming the broken promise: a resend nobody asked for', async () => {
    const { dir, c } = await captures();
    c.datagram(400, 5); // seq 5 again, long after, with no request naming it
    await writeFile(path.join(dir, 'server-side.pcap'), c.sent.pcap());
    const r = analyze([path.join(dir, 'server-side.pcap'), '--out', path.join(dir, 'out')]);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(
      /^broken promise: in the download of q\.txt by 10\.77\.1\.20.*seq 5 was resent at .* without any request naming it/,
    );
  });

  it('refuses captures it cannot judge, saying why: cut by a snap length, or not a capture', async () => {
    const { dir, c } = await captures();
    const cut = c.sent.frames().map((f) => ({ ...f, frame: f.frame.subarray(0, 96), originalLength: f.frame.length }));
    await writeFile(path.join(dir, 'cut.pcap'), writePcap(cut, { snapLength: 96 }));
    const r = analyze([path.join(dir, 'cut.pcap'), '--out', path.join(dir, 'out')]);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(
      /cut\.pcap: \d+ packets were cut short by the capture's snap length \(96 bytes\).*\(LAB_ERR_PCAP_TRUNCATED\)/,
    );
    const missing = analyze([path.join(dir, 'nope.pcapng')]);
    expect(missing.status).toBe(2);
    expect(missing.err).toContain('nope.pcapng cannot be read: no such file (LAB_ERR_PCAP_UNREADABLE)');
  });

  it('flags a capture that ends in the middle of a packet, in its output, summary.json and junit.xml', async () => {
    const { dir, c } = await captures();
    const whole = c.received.pcap();
    await writeFile(path.join(dir, 'client-side.pcap'), whole.subarray(0, whole.length - 7));
    const out = path.join(dir, 'out');
    const r = analyze([path.join(dir, 'server-side.pcap'), path.join(dir, 'client-side.pcap'), '--out', out]);
    expect(r.out).toMatch(
      /^capture warning: client-side\.pcap: cut short: the file ends in the middle of a packet \(\d+ bytes after the last whole one\)/m,
    );
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.scenarios[0].captureWarnings).toEqual([
      expect.objectContaining({ file: 'server-side/client-side.pcap', kind: 'cut-short' }),
    ]);
    expect(await readFile(path.join(out, 'junit.xml'), 'utf8')).toMatch(
      /<system-err>\ncapture warning: server-side\/client-side\.pcap: cut short/,
    );
  });
});
