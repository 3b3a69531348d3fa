import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { LineClient, sleep } from '../test-support/line-client.ts';
import { useServerFixture } from '../test-support/server-fixture.ts';
import { UdpTestReceiver } from '../test-support/udp-test-receiver.ts';
import { RESEND_WINDOW_MS } from './resend-queue.ts';

// 40 datagrams, the first 20 sent before the pause.
const env = useServerFixture('resend-abuse', { 'forty.bin': Buffer.alloc(CHUNK_SIZE * 40, 3) });
let n = 0;

async function pausedDownload() {
  const address = `127.0.6.${++n}`;
  const c = env.track(await LineClient.connect(env.server.ports[0], address));
  const udp = env.track(await UdpTestReceiver.open(address));
  expect(await c.ask(`connect|abuser${n}`)).toBe('connected');
  expect(await c.ask('download|forty.bin')).toBe('|40');
  c.send(`udp|${udp.port}`);
  await udp.settle(20);
  expect(udp.arrivals).toHaveLength(20);
  return { c, udp, resent: () => udp.arrivals.length - 20 };
}

function perSeq(seqs: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const s of seqs) counts.set(s, (counts.get(s) ?? 0) + 1);
  return counts;
}

describe('resend abuse is bounded', () => {
  it('answers 1000 resend lines for the same seqs, sent in one burst, with at most a handful of resends', async () => {
    const { c, udp, resent } = await pausedDownload();
    c.socket.write('resend|0|1|2|3|4\n'.repeat(1000));
    c.send('get_users');
    await c.waitFor(/^users/);
    await sleep(RESEND_WINDOW_MS * 2);
    expect(resent()).toBeGreaterThanOrEqual(5);
    expect(resent()).toBeLessThanOrEqual(5 * 3);
    expect(
      udp
        .seqsSent()
        .slice(20)
        .every((s) => s <= 4),
    ).toBe(true);
  });

  it(`resends a seq at most once per ${RESEND_WINDOW_MS} ms however often it is asked for`, async () => {
    const { c, udp, resent } = await pausedDownload();
    // 1000 requests spread over about 250 ms, so the server drains its queue between them.
    const started = performance.now();
    for (let i = 0; i < 50; i++) {
      c.socket.write('resend|7|8\n'.repeat(20));
      await sleep(5);
    }
    c.send('get_users');
    await c.waitFor(/^users/);
    const windows = Math.ceil((performance.now() - started) / RESEND_WINDOW_MS) + 1;
    await sleep(RESEND_WINDOW_MS * 2);
    const counts = perSeq(udp.seqsSent().slice(20));
    expect([...counts.keys()].sort()).toEqual([7, 8]);
    for (const k of counts.values()) expect(k).toBeLessThanOrEqual(windows);
    expect(resent()).toBeLessThan(2000 / 20);
  });

  it('never sends more than the download itself again for one request, however it is padded', async () => {
    const { c, udp, resent } = await pausedDownload();
    const everyTwentySixTimes = Array.from({ length: 26 }, () => [...Array(20).keys()]).flat();
    c.send(`resend|${everyTwentySixTimes.join('|')}`);
    await udp.settle(40, 150);
    expect(resent()).toBe(20);
    expect([...perSeq(udp.seqsSent().slice(20)).values()].every((k) => k === 1)).toBe(true);
  });

  it('logs what it refused and suppressed, so an operator sees the abuse', async () => {
    const { c } = await pausedDownload();
    c.send('resend|1', 'resend|1', 'resend|1|30');
    await c.waitFor(/^error\|resend: 1 seqs were never sent/);
    const log = env.server.events.filter((e) => e.includes(' resend '));
    expect(log.some((e) => /1 resent too recently/.test(e))).toBe(true);
    expect(log.some((e) => /1 never sent refused/.test(e))).toBe(true);
  });
});
