import { describe, expect, it } from 'vitest';
import { chainName, datagramPacketBytes, nftScript, quotaFor, type Flow } from './nft-script.ts';

const flow: Flow = { key: 'alice-to-client', direction: 'to-client', saddr: '10.231.8.10', daddr: '10.231.9.11' };

describe('nft script', () => {
  it('counts a full datagram as a 2076-byte IP packet and a file tail as its real size', () => {
    expect(datagramPacketBytes(0)).toBe(2076);
    // A 5000-byte file: seq 2 carries 5000 - 2·2043 = 914 bytes.
    expect(datagramPacketBytes(2, 5000)).toBe(20 + 8 + 5 + 914);
  });

  it('sets the quota between n and n+1 packets', () => {
    const q = quotaFor(3, 2076);
    expect(q).toBeGreaterThan(3 * 2076);
    expect(q).toBeLessThanOrEqual(4 * 2076);
  });

  it('matches the seq and separator in the flow chain, and jumps there only for that flow’s UDP', () => {
    const script = nftScript([{ flow, seq: 258, times: 2, why: 'fixed' }], []);
    expect(script).toContain(`ip saddr 10.231.8.10 ip daddr 10.231.9.11 meta l4proto udp jump ${chainName(flow)}`);
    expect(script).toContain(`@th,64,32 258 @th,96,8 0x3a quota until ${quotaFor(2, 2076)} bytes counter drop`);
    expect(chainName(flow)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });
});
