import { describe, expect, it } from 'vitest';
import { buildTimelines, type DownloadTimeline } from '../timeline/index.ts';
import { simulateDownload, type SimulatedDownload } from '../timeline/testing/simulate-download.ts';
import { TwoSidedCapture } from '../timeline/testing/two-sided-capture.ts';
import {
  downloadCompleted,
  downloadOf,
  downloadStopped,
  everyDropResent,
  nothingPastPauseBeforeProceed,
  noResendWithoutRequest,
  requestedExactly,
  resentExactly,
} from './index.ts';

async function simulated(spec: SimulatedDownload): Promise<DownloadTimeline> {
  return downloadOf(buildTimelines(await simulateDownload(spec).input({ pausePercent: spec.pausePercent })));
}

async function scripted(
  script: (c: TwoSidedCapture) => TwoSidedCapture,
  pausePercent?: number,
): Promise<DownloadTimeline> {
  const c = new TwoSidedCapture().fromClient(1, 'download|q.txt').fromServer(2, '|4').fromClient(3, 'udp|50123');
  return downloadOf(buildTimelines(await script(c).input({ pausePercent })));
}

const failure = (name: string, message: RegExp | string) =>
  expect.objectContaining({
    code: 'LAB_ERR_EXPECTATION',
    expectation: name,
    message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
  });

describe('assertions on a well-behaved download with drops in both halves', () => {
  it('all pass and return their evidence', async () => {
    const t = await simulated({ n: 10, pausePercent: 50, drops: { 3: 1, 8: 1 }, atPause: 'proceed' });
    expect(everyDropResent(t).map((d) => d.seq)).toEqual([3, 8]);
    expect(noResendWithoutRequest(t)).toEqual({ resends: 2 });
    expect(nothingPastPauseBeforeProceed(t)).toMatchObject({ h: 5 });
    expect([...requestedExactly(t, [3, 8], 1).keys()]).toEqual([3, 8]);
    expect([...resentExactly(t, [8, 3]).keys()]).toEqual([3, 8]);
    expect(downloadCompleted(t).lastByte).toBe('42');
  });
});

describe('everyDropResent', () => {
  it('names a dropped seq that was requested but never resent', async () => {
    const t = await scripted(
      (c) =>
        c
          .datagram(10, 0)
          .datagram(10.1, 1, { dropped: true })
          .datagram(10.2, 2)
          .datagram(10.3, 3)
          .fromClient(120, 'resend|1'),
      100,
    );
    expect(() => everyDropResent(t)).toThrow(
      failure(
        'everyDropResent',
        'in the download of q.txt by 10.77.1.20: seq 1 was dropped by the link at 0.009 s but never resent',
      ),
    );
  });
});

describe('everyDropResent, when the client already held the seq', () => {
  it('does not count a lost resend that was asked for early: a copy had already arrived', async () => {
    const t = await scripted(
      (c) =>
        c
          .datagram(10, 0)
          .datagram(10.1, 1)
          .datagram(10.2, 2)
          .datagram(10.3, 3)
          .fromClient(11, 'resend|1')
          .datagram(12, 1, { dropped: true }),
      100,
    );
    expect(t.drops.map((d) => d.seq)).toEqual([1]);
    expect(everyDropResent(t)).toEqual([]);
  });
});

describe('noResendWithoutRequest', () => {
  it('names a resend nobody asked for', async () => {
    const t = await scripted(
      (c) => c.datagram(10, 0).datagram(10.1, 1).datagram(10.2, 2).datagram(10.3, 3).datagram(50, 2),
      100,
    );
    expect(() => noResendWithoutRequest(t)).toThrow(
      failure('noResendWithoutRequest', 'seq 2 was resent at 0.049 s without any request naming it'),
    );
  });

  it('names a seq resent more often than requested', async () => {
    const t = await scripted(
      (c) => c.datagram(10, 0, { dropped: true }).fromClient(110, 'resend|0').datagram(111, 0).datagram(112, 0),
      100,
    );
    expect(() => noResendWithoutRequest(t)).toThrow(
      failure('noResendWithoutRequest', 'seq 0 was resent twice by 0.111 s but requested only once before then'),
    );
  });

  it('does not accept a request that comes after the resend', async () => {
    const t = await scripted((c) => c.datagram(10, 0).datagram(20, 0).fromClient(30, 'resend|0'), 100);
    expect(() => noResendWithoutRequest(t)).toThrow(/seq 0 was resent at 0.019 s without any request/);
  });
});

describe('nothingPastPauseBeforeProceed', () => {
  it('names a seq past the pause sent before proceed', async () => {
    const t = await scripted(
      (c) => c.datagram(10, 0).datagram(10.1, 1).datagram(10.2, 2).fromClient(60, 'proceed').datagram(61, 3),
      50,
    );
    expect(() => nothingPastPauseBeforeProceed(t)).toThrow(
      failure('nothingPastPauseBeforeProceed', 'seq 2 (≥ H = 2) was sent at 0.009 s, before `proceed` at 0.059 s'),
    );
  });

  it('catches a server that ignores the pause when the timeline carries the pause the clients expect', async () => {
    // Sent as a server with --pause 100 sends: everything at once.
    const capture = simulateDownload({ n: 4, pausePercent: 100 });
    const inferred = downloadOf(buildTimelines(await capture.input()));
    expect(inferred.hSource).toBe('observed');
    expect(() => nothingPastPauseBeforeProceed(inferred)).not.toThrow();
    const t = downloadOf(buildTimelines(await capture.input({ pausePercent: 50 })));
    expect(t).toMatchObject({ h: 2, hSource: 'pause-percent' });
    expect(() => nothingPastPauseBeforeProceed(t)).toThrow(
      /seq 2 \(≥ H = 2\) was sent at .* and the client never sent `proceed`; seq 3/,
    );
  });

  it('names a seq past the pause sent after stop', async () => {
    const t = await scripted(
      (c) =>
        c.datagram(10, 0).datagram(10.1, 1).fromClient(60, 'stop').datagram(61, 2).fromServer(62, 'download stopped'),
      50,
    );
    expect(() => nothingPastPauseBeforeProceed(t)).toThrow(
      /seq 2 \(≥ H = 2\) was sent at 0.060 s, after `stop` at 0.059 s/,
    );
    expect(downloadStopped(t).stopAt).toBeCloseTo(0.059);
  });
});

describe('requestedExactly and resentExactly', () => {
  it('name missing, unexpected and repeated seqs', async () => {
    const t = await simulated({ n: 10, pausePercent: 50, drops: { 3: 1, 7: 2 }, atPause: 'proceed' });
    expect(() => requestedExactly(t, [3, 4])).toThrow(
      failure(
        'requestedExactly',
        'expected exactly seqs 3, 4 to be requested: seq 4 was never requested; seq 7 was requested at',
      ),
    );
    expect(() => requestedExactly(t, [3, 7], 1)).toThrow(/seq 7 was requested twice \(at .* s, .* s\), not once/);
    expect(() => resentExactly(t, [3, 7])).toThrow(
      failure(
        'resentExactly',
        /expected exactly seqs 3, 7, each once to be resent: seq 7 was resent twice \(at 0\.\d{3} s, 0\.\d{3} s\), not once$/,
      ),
    );
  });
});

describe('downloadCompleted and downloadStopped', () => {
  it('say how the download really ended', async () => {
    const stopped = await simulated({ n: 4, pausePercent: 50, atPause: 'stop' });
    expect(() => downloadCompleted(stopped)).toThrow(
      failure(
        'downloadCompleted',
        `the download of q.txt by 10.77.1.20 did not complete: the server's last line was "download stopped"`,
      ),
    );
    const done = await simulated({ n: 2, pausePercent: 100 });
    expect(() => downloadStopped(done)).toThrow(
      failure('downloadStopped', 'was not stopped: the server\'s last line was "User alice downloaded 100%'),
    );
  });

  it('refuses a completion line when a seq never reached the client', async () => {
    const t = await scripted((c) =>
      c
        .datagram(10, 0)
        .datagram(10.1, 1)
        .datagram(10.2, 2, { dropped: true })
        .datagram(10.3, 3)
        .fromClient(20, 'stop')
        .fromServer(21, 'User a downloaded 100% out of file. Last byte is: 1'),
    );
    expect(() => downloadCompleted(t)).toThrow(/but seqs 2 never reached the client/);
  });
});

describe('downloadOf', () => {
  it('lists what the captures hold when nothing matches, and refuses to guess between several', async () => {
    const c = simulateDownload({ n: 1, pausePercent: 100 });
    simulateDownload({ n: 1, pausePercent: 100, file: 'b.bin', startMs: 50 }, c);
    const all = buildTimelines(await c.input());
    expect(downloadOf(all, { file: 'b.bin' }).file).toBe('b.bin');
    expect(downloadOf(all, { nth: 1 }).file).toBe('b.bin');
    expect(() => downloadOf(all, { file: 'x' })).toThrow(
      failure(
        'downloadOf',
        'the captures hold no download of x. Downloads seen: q.txt by 10.77.1.20 (completed), b.bin by 10.77.1.20 (completed)',
      ),
    );
    expect(() => downloadOf(all, { file: 'q.txt', nth: 1 })).toThrow(
      /no download of q.txt number 1 \(counting from 0\)/,
    );
    expect(() => downloadOf(all)).toThrow(/2 downloads were captured; pass nth/);
  });
});
