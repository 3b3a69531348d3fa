import { describe, expect, it } from 'vitest';
import { ethernetFrameBytes, linkBlockSize, type Links } from './block-size.ts';
import { CHUNK_SIZE, MAX_BLOCK_SIZE } from './datagram.ts';

/** A machine with a loopback and one Ethernet interface of the given MTU, as Linux shows them. */
function machine(mtu: number | undefined): Links {
  return {
    interfaces: {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [
        { address: '10.0.0.2', family: 'IPv4', internal: false },
        { address: 'fd00::2', family: 'IPv6', internal: false },
      ],
    },
    readText: (path) => {
      if (path === '/sys/class/net/lo/mtu') return '65536\n';
      if (path === '/sys/class/net/eth0/mtu' && mtu !== undefined) return `${mtu}\n`;
      throw new Error(`ENOENT: ${path}`);
    },
  };
}

describe('the block a link carries in one frame', () => {
  it('fills a jumbo frame: MTU 9000 less IPv4, UDP and the datagram header', () => {
    expect(linkBlockSize('10.0.0.2', machine(9000))).toBe(9000 - 20 - 8 - 5);
    expect(linkBlockSize('::ffff:10.0.0.2', machine(9000))).toBe(8967);
    expect(linkBlockSize('fd00::2', machine(9000))).toBe(9000 - 40 - 8 - 5);
  });

  it("keeps the seed's block on a 1500-byte link and never goes below it", () => {
    expect(linkBlockSize('10.0.0.2', machine(1500))).toBe(CHUNK_SIZE);
    expect(linkBlockSize('10.0.0.2', machine(2076))).toBe(CHUNK_SIZE);
    expect(linkBlockSize('10.0.0.2', machine(2077))).toBe(CHUNK_SIZE + 1);
  });

  it('stays within what one UDP datagram can hold', () => {
    expect(linkBlockSize('10.0.0.2', machine(1_000_000))).toBe(MAX_BLOCK_SIZE);
  });

  it('knows no link for loopback, an unknown address or an MTU it cannot read', () => {
    expect(linkBlockSize('127.0.0.1', machine(9000))).toBeUndefined();
    expect(linkBlockSize('10.9.9.9', machine(9000))).toBeUndefined();
    expect(linkBlockSize('10.0.0.2', machine(undefined))).toBeUndefined();
  });
});

describe('a datagram on an Ethernet link', () => {
  it("occupies its block and 47 bytes: the seed's 2,043 fill 2,090, and a jumbo frame's 8,967 fill 9,014", () => {
    expect(ethernetFrameBytes(CHUNK_SIZE)).toBe(2090);
    expect(ethernetFrameBytes(8967)).toBe(9014);
  });
});
