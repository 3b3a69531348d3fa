import type Docker from 'dockerode';
import type { AgentLink } from './agent/agent-link.ts';
import { LabHost } from './lab-host.ts';

/** Which of the lab's two networks a host sits on. */
export type LabSide = 'clients' | 'servers';

/**
 * A host that belongs to nobody's story but its own: it sits on one of the lab's networks
 * with the same tools as every host (tcpdump, iproute2, Node) and no program of the system.
 */
export class AttackerHost extends LabHost {
  constructor(
    containerName: string,
    ip: string,
    container: Docker.Container,
    agent: AgentLink,
    /** The network it is on. */
    readonly side: LabSide,
    /** True when that network delivers every frame to every host (a hub), so tcpdump sees others' traffic. */
    readonly sharedMedium: boolean,
  ) {
    super('attacker', 'attacker', containerName, ip, container, agent);
  }

  /**
   * Takes `ip` as a second address of its own, so that datagrams it sends can leave from
   * that address (and any port) without raw sockets: a spoofed source, as the kernel sees it.
   */
  async impersonate(ip: string): Promise<void> {
    const shown = await this.execOk(['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0']);
    if (shown.stdout.includes(` ${ip}/32 `)) return;
    await this.execOk(['ip', 'addr', 'add', `${ip}/32`, 'dev', 'eth0', 'noprefixroute']);
  }
}
