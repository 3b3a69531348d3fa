import type Docker from 'dockerode';
import type { AgentLink } from './agent/agent-link.ts';
import { LabHost } from './lab-host.ts';

export interface RouterSide {
  /** Interface name inside the router, e.g. `eth1`. */
  iface: string;
  ip: string;
  /** The subnet on this side, e.g. `10.231.8.0/24`. */
  cidr: string;
}

/** The host between the clients' and the server's network, where loss is applied. */
export class RouterHost extends LabHost {
  constructor(
    containerName: string,
    container: Docker.Container,
    agent: AgentLink,
    readonly serverSide: RouterSide,
    readonly clientSide: RouterSide,
  ) {
    super('router', 'router', containerName, serverSide.ip, container, agent);
  }
}
