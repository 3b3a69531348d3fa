import type { LabHost } from '../host/lab-host.ts';
import { ATTACKER, CAPTURE_POINT, clientCapturePoint } from '../results/run-folder.ts';
import type { StartedLabTopology } from '../topology/started-lab-topology.ts';

export interface CapturePoint {
  /** `server`, `router-server-side`, `router-client-side`, `client-<name>`: also the pcap's base name. */
  name: string;
  host: LabHost;
  iface: string;
}

/**
 * Every host's own interface, plus both router interfaces: the router's
 * server side sees what the server sent before the impairment, the client
 * side what was left after it.
 */
export function capturePoints(topology: StartedLabTopology): CapturePoint[] {
  const { router } = topology;
  return [
    { name: CAPTURE_POINT.server, host: topology.server, iface: 'eth0' },
    { name: CAPTURE_POINT.routerServerSide, host: router, iface: router.serverSide.iface },
    { name: CAPTURE_POINT.routerClientSide, host: router, iface: router.clientSide.iface },
    ...topology.clients.map((c) => ({ name: clientCapturePoint(c.name), host: c, iface: 'eth0' })),
    // What the attacker overheard and what it sent, from where it sits.
    ...(topology.attacker ? [{ name: ATTACKER.capturePoint, host: topology.attacker, iface: 'eth0' }] : []),
  ];
}
