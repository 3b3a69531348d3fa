import { describe, expect, it } from 'vitest';
import { decodeCapture, readPcap } from '../pcap/index.ts';
import { CaptureBuilder } from '../pcap/testing/capture-builder.ts';
import { lineNotSent, lineSent } from './line-assertions.ts';

const server = { ip: '10.77.0.10', port: 55000 };
const alice = { ip: '10.77.1.20', port: 38000 };
const bob = { ip: '10.77.1.21', port: 38001 };
const TAKEN = "can't connect. Name is taken. Try another";

async function capture() {
  const pcap = new CaptureBuilder()
    .connect(0, alice, server)
    .connect(0, bob, server)
    .line(1, alice, server, 'connect|alice')
    .line(2, server, alice, 'connected')
    .line(3, bob, server, 'connect|alice')
    .line(4, server, bob, TAKEN)
    .pcap();
  return decodeCapture(await readPcap(pcap));
}

describe('lineSent', () => {
  it('finds an exact line from one host to another, by ip or ip:port', async () => {
    const c = await capture();
    expect(lineSent(c, { from: server.ip, to: bob.ip, line: TAKEN }).from).toEqual(server);
    expect(
      lineSent(c.controlLines, { from: '10.77.1.21:38001', to: '10.77.0.10:55000', line: /^connect\|/ }).text,
    ).toBe('connect|alice');
  });

  it('fails naming the line and listing what was sent instead', async () => {
    const c = await capture();
    expect(() => lineSent(c, { from: server.ip, to: alice.ip, line: TAKEN })).toThrow(
      expect.objectContaining({
        code: 'LAB_ERR_EXPECTATION',
        message: `no line "can't connect. Name is taken. Try another" was sent from 10.77.0.10 to 10.77.1.20; the lines from 10.77.0.10 to 10.77.1.20 were: "connected"`,
      }),
    );
    expect(() => lineSent(c, { from: server.ip, to: '10.77.1.99', line: 'x' })).toThrow(
      /no control line at all went from 10.77.0.10 to 10.77.1.99/,
    );
    // A near miss is still a miss: the match is exact.
    expect(() => lineSent(c, { from: server.ip, to: bob.ip, line: `${TAKEN}.` })).toThrow(/no line/);
  });
});

describe('lineNotSent', () => {
  it('passes when the line is absent and fails with where and when it was sent', async () => {
    const c = await capture();
    expect(() => lineNotSent(c, { from: server.ip, to: alice.ip, line: TAKEN })).not.toThrow();
    expect(() => lineNotSent(c, { from: server.ip, to: bob.ip, line: TAKEN })).toThrow(
      expect.objectContaining({
        expectation: 'lineNotSent',
        message: `line "can't connect. Name is taken. Try another" was sent from 10.77.0.10:55000 to 10.77.1.21:38001 at 00:00:00.004 UTC, but it should not have been`,
      }),
    );
  });
});
