import type Docker from 'dockerode';
import { NoSubnetError } from './topology-errors.ts';
import { candidatePairs, subnet24, usedThirdOctets, type Subnet24 } from './subnets.ts';

/**
 * MTU 2076 on both lab networks: exactly a full download datagram of the seed's
 * block (2048 bytes of UDP payload in a 2076-byte IP packet), which a 1500-byte
 * MTU would split into two fragments. One datagram is one packet, so a drop rule
 * hits exactly one datagram and captures need no reassembly of fragments. And
 * no larger: a client fits its block to its link's frame (`--block-size auto`),
 * so on these links it keeps the seed's 2,043 bytes, the size every scenario,
 * capture and figure of the lab speaks of.
 */
export const LAB_MTU = 2076;
/** The largest MTU a scenario may give its networks (`mtu`): jumbo frames, as a data centre's or a lab switch's. */
export const MAX_LAB_MTU = 9000;
/** The smallest: IPv4's minimum that every link must carry whole. */
export const MIN_LAB_MTU = 576;

export interface LabNetwork {
  name: string;
  subnet: Subnet24;
  network: Docker.Network;
}

export interface LabNetworkPair {
  server: LabNetwork;
  client: LabNetwork;
}

export async function createNetworkPair(
  docker: Docker,
  namePrefix: string,
  labels: Record<string, string>,
  mtu = LAB_MTU,
): Promise<LabNetworkPair> {
  const tried: string[] = [];
  for (const [a, b] of candidatePairs(await usedThirdOctets(docker)).slice(0, 20)) {
    const server = await createNetwork(docker, `${namePrefix}-servers`, subnet24(a), labels, mtu);
    if (!server) {
      tried.push(subnet24(a).cidr);
      continue;
    }
    const client = await createNetwork(docker, `${namePrefix}-clients`, subnet24(b), labels, mtu);
    if (client) return { server, client };
    tried.push(subnet24(b).cidr);
    await server.network.remove();
  }
  throw new NoSubnetError(tried);
}

/** Null when another network took the subnet between our look and our create. */
async function createNetwork(
  docker: Docker,
  name: string,
  subnet: Subnet24,
  labels: Record<string, string>,
  mtu: number,
): Promise<LabNetwork | null> {
  try {
    const network = await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: labels,
      IPAM: { Driver: 'default', Config: [{ Subnet: subnet.cidr, Gateway: subnet.gateway }] },
      Options: {
        'com.docker.network.driver.mtu': String(mtu),
        // No NAT to the outside: lab traffic never leaves the engine's host, and with Docker's
        // masquerade rule a datagram sent with another network's source address would cross
        // the bridge rewritten to the gateway's (bridged packets pass iptables there).
        'com.docker.network.bridge.enable_ip_masquerade': 'false',
      },
    });
    return { name, subnet, network };
  } catch (err) {
    if (/overlap/i.test((err as Error).message)) return null;
    throw err;
  }
}
