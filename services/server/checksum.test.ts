import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import { serverLine } from '../protocol/server-messages.ts';
import { LineClient } from '../test-support/line-client.ts';
import { useServerFixture } from '../test-support/server-fixture.ts';
import { UdpTestReceiver } from '../test-support/udp-test-receiver.ts';

const ten = Buffer.from(Array.from({ length: CHUNK_SIZE * 9 + 100 }, (_, i) => (i * 7 + (i >> 9)) & 0xff));
const env = useServerFixture('checksum', { 'ten.bin': ten, 'other.bin': Buffer.from('another file\n') });
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let n = 0;

async function downloading(file: string) {
  const address = `127.0.12.${++n}`;
  const control = env.track(await LineClient.connect(env.server.ports[0], address));
  const udp = env.track(await UdpTestReceiver.open(address));
  expect(await control.ask(`connect|sum${n}`)).toBe('connected');
  const count = Number((await control.ask(`download|${file}`)).slice(1));
  control.send(`udp|${udp.port}`);
  return { control, udp, count };
}

const checksumLog = () => env.server.events.filter((e) => e.includes(' checksum '));

describe('checksum|<file>', () => {
  it("answers the file's SHA-256, hashed from the datagrams as they were sent, before and after stop", async () => {
    const { control, udp, count } = await downloading('ten.bin');
    await udp.settle(5);
    control.send('proceed');
    await udp.settle(count);
    expect(await control.ask('checksum|ten.bin')).toBe(serverLine.checksum(sha256(ten)));
    expect(checksumLog().at(-1)).toContain(
      `sha256 ${sha256(ten)} (${ten.length} of ${ten.length} bytes hashed as they were sent)`,
    );
    expect(await control.ask('stop')).toMatch(/^User sum\d+ downloaded 100%/);
    expect(await control.ask('checksum|ten.bin')).toBe(`checksum|sha256|${sha256(ten)}`);
    expect(checksumLog().at(-1)).toContain('(of the download that just completed)');
  });

  it('reads what was not sent yet when asked at the pause, and answers the same digest', async () => {
    const { control, udp } = await downloading('ten.bin');
    await udp.settle(5);
    expect(await control.ask('checksum|ten.bin')).toBe(serverLine.checksum(sha256(ten)));
    expect(checksumLog().at(-1)).toMatch(/\(10215 of 18487 bytes hashed as they were sent, the rest read now\)/);
    expect(udp.seqsSent()).toEqual([0, 1, 2, 3, 4]);
    expect(await control.ask('stop')).toBe('download stopped');
  });

  it('hashes nothing it is not downloading: another file, or none at all, is refused with error|', async () => {
    const { control } = await downloading('ten.bin');
    expect(await control.ask('checksum|other.bin')).toBe('error|checksum: no download of other.bin on this connection');
    const idle = env.track(await LineClient.connect(env.server.ports[0], '127.0.12.200'));
    expect(await idle.ask('checksum|ten.bin')).toBe('error|checksum: no download of ten.bin on this connection');
    expect(await idle.ask('checksum|')).toBe('error|checksum needs a file name');
  });
});
