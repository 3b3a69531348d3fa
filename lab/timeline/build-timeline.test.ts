import { describe, expect, it } from 'vitest';
import { buildTimelines } from './build-timeline.ts';
import { simulateDownload } from './testing/simulate-download.ts';
import { CLIENT, SERVER, TwoSidedCapture } from './testing/two-sided-capture.ts';

describe('buildTimelines', () => {
  it('follows a download with drops in both halves, its requests, resends, pause and end', async () => {
    const capture = simulateDownload({ n: 10, pausePercent: 50, drops: { 2: 1, 7: 2 }, atPause: 'proceed' });
    const [t, ...more] = buildTimelines(await capture.input({ pausePercent: 50 }));
    expect(more).toHaveLength(0);
    expect(t).toMatchObject({
      client: { ip: CLIENT.ip, tcpPort: CLIENT.port },
      server: { ip: SERVER.ip, tcpPort: SERVER.port },
      file: 'q.txt',
      udpPort: 50123,
      n: 10,
      h: 5,
      hSource: 'pause-percent',
      outcome: 'completed',
      finalLine: 'User alice downloaded 100% out of file. Last byte is: 42',
      counts: { sent: 13, dropped: 3, resent: 3, received: 10, requests: 3, requestedSeqs: 3 },
      anomalies: [],
    });
    expect(t.drops.map((d) => [d.seq, d.attempt])).toEqual([
      [2, 0],
      [7, 0],
      [7, 1],
    ]);
    expect(t.requests.map((r) => r.seqs)).toEqual([[2], [7], [7]]);
    expect(t.perSeq[7]).toEqual({ seq: 7, sent: 3, dropped: 2, received: 1, requested: 2 });
    expect(t.perSeq[0]).toEqual({ seq: 0, sent: 1, dropped: 0, received: 1, requested: 0 });
    const kinds = t.events.map((e) => ('seq' in e ? `${e.kind}:${e.seq}${e.dropped ? 'x' : ''}` : e.kind));
    expect(kinds).toEqual([
      'download',
      'count',
      'udp-port',
      'send:0',
      'send:1',
      'send:2x',
      'send:3',
      'send:4',
      'request',
      'resend:2',
      'pause-reached',
      'proceed',
      'send:5',
      'send:6',
      'send:7x',
      'send:8',
      'send:9',
      'request',
      'resend:7x',
      'request',
      'resend:7',
      'stop',
      'end',
    ]);
    expect(t.pauseReachedAt).toBeGreaterThan(t.requests[0].t);
    expect(t.proceedAt).toBeGreaterThan(t.pauseReachedAt!);
    // Times are seconds since the download line, to the microsecond.
    expect(t.events.find((e) => e.kind === 'udp-port')?.t).toBe(0.002);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it('blames the lost first copy, not the resend that arrived, when pairing by time', async () => {
    const c = new TwoSidedCapture()
      .fromClient(1, 'download|a')
      .fromServer(2, '|1')
      .fromClient(3, 'udp|50123')
      .datagram(10, 0, { dropped: true })
      .fromClient(110, 'resend|0')
      .datagram(111, 0)
      .fromClient(120, 'stop')
      .fromServer(121, 'User a downloaded 100% out of file. Last byte is: none');
    const [t] = buildTimelines(await c.input());
    expect(t.drops).toEqual([{ seq: 0, attempt: 0, t: 0.00895 }]);
    expect(t.h).toBe(1);
  });

  it('infers H from what was sent before proceed when no pause percentage is given', async () => {
    const [t] = buildTimelines(await simulateDownload({ n: 9, pausePercent: 30, atPause: 'proceed' }).input());
    expect(t).toMatchObject({ h: 3, hSource: 'observed' });
  });

  it('records a download stopped at the pause', async () => {
    const [t] = buildTimelines(
      await simulateDownload({ n: 4, pausePercent: 50, atPause: 'stop' }).input({ pausePercent: 50 }),
    );
    expect(t).toMatchObject({
      outcome: 'stopped',
      finalLine: 'download stopped',
      h: 2,
      proceedAt: null,
      counts: { sent: 2 },
    });
    expect(t.stopAt).not.toBeNull();
  });

  it('ignores a refused download and finds the next one on the same connection', async () => {
    const c = new TwoSidedCapture().fromClient(1, 'download|nope').fromServer(2, "Can't download. File not found");
    simulateDownload({ n: 1, pausePercent: 50, file: 'q.txt', startMs: 10 }, c);
    const timelines = buildTimelines(await c.input());
    expect(timelines.map((t) => [t.file, t.n, t.outcome])).toEqual([['q.txt', 1, 'completed']]);
  });

  it('says so when the received side holds none of the datagrams', async () => {
    const c = simulateDownload({ n: 2, pausePercent: 100 });
    const input = await c.input();
    const [t] = buildTimelines({ ...input, received: { ...input.received, udp: [] } });
    expect(t.anomalies.join('\n')).toMatch(/received side \(received.pcap\) holds none of this download's datagrams/);
  });
});

describe('what the charts need from a timeline', () => {
  it("names the capture files and each copy's frame on the sent side, the received side and the client's own", async () => {
    const capture = simulateDownload(
      { n: 4, pausePercent: 50, drops: { 1: 1 }, atPause: 'proceed' },
      new TwoSidedCapture(CLIENT, 2),
    );
    const [t] = buildTimelines(await capture.input({ pausePercent: 50, withClient: true }));
    expect(t.captures).toEqual({
      sent: 'sent.pcap',
      received: 'received.pcap',
      atClient: 'client-alice.pcap',
      control: 'sent.pcap',
    });
    type Tx = Extract<(typeof t.events)[number], { kind: 'send' | 'resend' }>;
    const sends = t.events.filter((e): e is Tx => e.kind === 'send' || e.kind === 'resend');
    const first = sends[0];
    // The handshake and three lines come first: seq 0 is frames 8 (fragment) and 9 on the sent side.
    expect(first).toMatchObject({ seq: 0, frame: 8, arrived: { frame: 8 }, atClient: { frame: 8 } });
    // The client's copy is 2 ms after the router's: a queue on the last hop shows as this gap.
    expect(first.atClient!.t - first.arrived!.t).toBeCloseTo(0.002, 6);
    const dropped = sends.find((e) => e.seq === 1 && e.attempt === 0)!;
    expect(dropped).toMatchObject({ dropped: true, arrived: null, atClient: null });
    expect(t.requests).toEqual([{ t: expect.any(Number), seqs: [1], frame: expect.any(Number) }]);
    expect(t.requests[0].frame).toBeGreaterThan(first.frame);
    for (const kind of ['download', 'count', 'udp-port', 'proceed', 'end'])
      expect(t.events.find((e) => e.kind === kind)).toMatchObject({ frame: expect.any(Number) });
    expect(t.bytes).toBe(4 * 2043);
  });

  it('marks when the server went silent in a download that never ended', async () => {
    const capture = new TwoSidedCapture()
      .fromClient(1, 'download|q.txt')
      .fromServer(2, '|10')
      .fromClient(3, 'udp|50123')
      .datagram(4, 0)
      .datagram(5, 1);
    const [t] = buildTimelines(await capture.input({ pausePercent: 50 }));
    expect(t.outcome).toBe('unfinished');
    expect(t.events.at(-1)).toMatchObject({ kind: 'server-silent', frame: 10 });
    expect(t.events.at(-1)!.t).toBeCloseTo(0.00395, 6); // seq 1 left the server at 5 ms, 1.05 ms after `download|`
  });
});
