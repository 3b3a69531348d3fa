import type Docker from 'dockerode';

/** A /24 given as its first three octets, e.g. `10.231.7`. */
export interface Subnet24 {
  prefix: string;
  cidr: string;
  gateway: string;
  /** The address `.n` in this subnet. */
  host(n: number): string;
}

// 10.231.0.0/16 is far from Docker's own default pools (172.17-31, 192.168)
// and from the usual corporate VPN ranges at 10.0-10.10.
const FIRST_OCTETS = '10.231';

export function subnet24(third: number): Subnet24 {
  const prefix = `${FIRST_OCTETS}.${third}`;
  return { prefix, cidr: `${prefix}.0/24`, gateway: `${prefix}.1`, host: (n) => `${prefix}.${n}` };
}

/** Third octets of 10.231.x.0/24 subnets no Docker network uses yet. */
export async function usedThirdOctets(docker: Docker): Promise<Set<number>> {
  const used = new Set<number>();
  for (const net of await docker.listNetworks()) {
    for (const cfg of net.IPAM?.Config ?? []) {
      const m = /^10\.231\.(\d+)\.\d+\/(\d+)$/.exec(cfg.Subnet ?? '');
      if (!m) continue;
      const third = Number(m[1]);
      const bits = Number(m[2]);
      // A wider subnet (/16 … /23) covers several /24s: mark them all.
      const span = bits >= 24 ? 1 : 2 ** (24 - bits);
      const start = third - (third % span);
      for (let i = start; i < start + span && i < 256; i++) used.add(i);
    }
  }
  return used;
}

/**
 * Candidate (server, client) pairs, starting at a random place so that two
 * runs starting together rarely race for the same pair; the caller retries
 * with the next pair when Docker reports an overlap.
 */
export function candidatePairs(used: ReadonlySet<number>, random = Math.random): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let a = 2; a < 254; a += 2) if (!used.has(a) && !used.has(a + 1)) pairs.push([a, a + 1]);
  const offset = Math.floor(random() * pairs.length);
  return [...pairs.slice(offset), ...pairs.slice(0, offset)];
}
