import { CHUNK_SIZE, HEADER_SIZE, MAX_BLOCK_SIZE } from './datagram.ts';

/** A local interface as `os.networkInterfaces()` lists it: only what the choice of a block needs. */
export interface LinkAddress {
  address: string;
  family: string | number;
  internal: boolean;
}

/** The interfaces by name, and a reader of text files through which Linux tells an interface's MTU. */
export interface Links {
  interfaces: Readonly<Record<string, readonly LinkAddress[] | undefined>>;
  readText: (path: string) => string;
}

/**
 * The largest block whose datagram leaves the interface holding `address` as one frame: MTU
 * minus the IP header, UDP's 8 bytes and the datagram's own 5. Never below the seed's block:
 * its datagram, in two fragments on a 1500-byte link, is what every peer understands, and a
 * smaller one would cost more datagrams a second for a few bytes of header. Undefined for a
 * loopback address or an interface whose MTU is unknown: there is no link to fit.
 */
export function linkBlockSize(address: string, links: Links): number | undefined {
  const bare = address.replace(/^::ffff:/i, '');
  for (const [name, addresses] of Object.entries(links.interfaces)) {
    const match = addresses?.find((a) => a.address === bare);
    if (!match) continue;
    if (match.internal) return undefined;
    const mtu = interfaceMtu(name, links.readText);
    if (mtu === undefined) return undefined;
    return frameBlockSize(mtu, match.family === 'IPv6' || match.family === 6);
  }
  return undefined;
}

/** The block whose datagram fills a frame of `mtu` bytes, never below the seed's (linkBlockSize). */
export function frameBlockSize(mtu: number, ipv6 = false): number {
  return Math.min(MAX_BLOCK_SIZE, Math.max(CHUNK_SIZE, mtu - (ipv6 ? 40 : 20) - 8 - HEADER_SIZE));
}

/** What a full datagram of `block` bytes occupies on an Ethernet link: its header (5), UDP 8, IPv4 20 and Ethernet 14. */
export function ethernetFrameBytes(block: number): number {
  return block + HEADER_SIZE + 8 + 20 + 14;
}

function interfaceMtu(name: string, readText: Links['readText']): number | undefined {
  try {
    const mtu = Number(readText(`/sys/class/net/${name}/mtu`).trim());
    return Number.isInteger(mtu) && mtu > 0 ? mtu : undefined;
  } catch {
    return undefined;
  }
}
