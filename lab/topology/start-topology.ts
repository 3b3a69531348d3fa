import type Docker from 'dockerode';
import type { LabEngine } from '../engine/lab-engine.ts';
import { ownerLabels, RUN_LABEL, ROLE_LABEL, TOPOLOGY_LABEL } from '../engine/labels.ts';
import { filesBelow, putFiles } from '../host/archive.ts';
import { AgentLink } from '../host/agent/agent-link.ts';
import { agentCommand } from '../host/agent/agent-script.ts';
import { AttackerHost } from '../host/attacker-host.ts';
import { LabHost, type HostRole } from '../host/lab-host.ts';
import { RouterHost, type RouterSide } from '../host/router-host.ts';
import { registerTopology, throwIfInterrupted, trackStart } from './cleanup-registry.ts';
import { createNetworkPair, type LabNetwork, type LabNetworkPair } from './lab-networks.ts';
import { TopologyError } from './topology-errors.ts';
import type { TopologySpec } from './topology-spec.ts';
import { makeSharedMedium } from './shared-medium.ts';
import { removeTopology, StartedLabTopology } from './started-lab-topology.ts';

// Address plan inside each /24: .1 Docker's bridge, .2 the router, .10 the
// server, .11… the clients in the order given, .200 an attacker on either network.
const ROUTER = 2;
const SERVER = 10;
const FIRST_CLIENT = 11;
const ATTACKER = 200;

export function startTopology(engine: LabEngine, spec: TopologySpec & { image: string }): Promise<StartedLabTopology> {
  return trackStart(bringUp(engine, spec));
}

async function bringUp(engine: LabEngine, spec: TopologySpec & { image: string }): Promise<StartedLabTopology> {
  const started = Date.now();
  const { docker } = engine;
  const id = `ucl-${spec.runId}-${spec.scenario}`;
  const labels = { [RUN_LABEL]: spec.runId, [TOPOLOGY_LABEL]: id, ...ownerLabels() };
  // Registered before anything exists, so a signal during startup still tidies up.
  if (!spec.keep) registerTopology(id, () => removeTopology(docker, id), engine.cliEnv());
  try {
    const nets = await createNetworkPair(docker, id, labels, spec.mtu);
    throwIfInterrupted(`starting ${id}`);
    const containers = await createContainers(docker, spec, { id, labels, nets });
    const { router, server, attacker, clients, attackerNet } = containers;
    throwIfInterrupted(`starting ${id}`);
    await nets.client.network.connect({
      Container: router.id,
      EndpointConfig: { IPAMConfig: { IPv4Address: nets.client.subnet.host(ROUTER) } },
    });
    // The files the server offers travel through the API, so a remote engine serves them too.
    await putFiles(server, '/files', await filesBelow(spec.filesDir));
    throwIfInterrupted(`starting ${id}`);
    const all = [router, server, ...clients, ...(attacker ? [attacker] : [])];
    // Attached before they start, so that nothing a host prints is missed.
    const links = await Promise.all(all.map((c) => AgentLink.attach(c, `host ${c.id.slice(0, 12)} setting up`)));
    await Promise.all(all.map((c) => c.start()));
    // Each host sets itself up as it starts (hostEntry); its output says when, with no exec per host.
    const [routerLog] = await Promise.all(links.map((link) => setUpLog(link)));
    throwIfInterrupted(`starting ${id}`);
    const [routerLink, serverLink, ...rest] = links;
    const hosts = hostsOf(spec, id, nets, containers, routerLog, {
      router: routerLink,
      server: serverLink,
      clients: rest.slice(0, clients.length),
      attacker: rest[clients.length],
    });
    // Once every host is on the network, so no port of its bridge learns anything.
    if (hosts.attacker?.sharedMedium && attackerNet) await makeSharedMedium(engine, attackerNet, spec.image, labels);
    const { router: routerHost, server: serverHost, clients: clientHosts, attacker: attackerHost } = hosts;
    const elapsed = Date.now() - started;
    return new StartedLabTopology(engine, id, spec, nets, routerHost, serverHost, clientHosts, elapsed, attackerHost);
  } catch (err) {
    if (!spec.keep) await removeTopology(docker, id).catch(() => undefined);
    throw err;
  }
}

interface HostContainers {
  router: Docker.Container;
  server: Docker.Container;
  attacker: Docker.Container | null;
  clients: Docker.Container[];
  attackerNet: LabNetwork | undefined;
}

/** Every host's container, created at once, each at its fixed address on its network (the router on the server's). */
async function createContainers(
  docker: Docker,
  spec: TopologySpec & { image: string },
  { id, labels, nets }: { id: string; labels: Record<string, string>; nets: LabNetworkPair },
): Promise<HostContainers> {
  const create = (role: HostRole, name: string, net: LabNetwork, ip: string) =>
    createHostContainer(docker, spec, {
      labels: { ...labels, [ROLE_LABEL]: role },
      containerName: `${id}-${name}`,
      hostName: name,
      net,
      ip,
      // Each host but the router reaches the other network through the router's side on its own.
      route: role === 'router' ? undefined : routeFrom(net, net === nets.server ? nets.client : nets.server),
    });
  const attackerNet = spec.attacker && (spec.attacker.on === 'clients' ? nets.client : nets.server);
  const [router, server, attacker, ...clients] = await Promise.all([
    create('router', 'router', nets.server, nets.server.subnet.host(ROUTER)),
    create('server', 'server', nets.server, nets.server.subnet.host(SERVER)),
    attackerNet ? create('attacker', 'attacker', attackerNet, attackerNet.subnet.host(ATTACKER)) : null,
    ...spec.clients.map((c, i) =>
      create('client', `client-${c}`, nets.client, nets.client.subnet.host(FIRST_CLIENT + i)),
    ),
  ]);
  return { router, server, attacker, clients, attackerNet };
}

interface Hosts {
  router: RouterHost;
  server: LabHost;
  clients: LabHost[];
  attacker: AttackerHost | null;
}

interface HostLinks {
  router: AgentLink;
  server: AgentLink;
  clients: AgentLink[];
  attacker: AgentLink | undefined;
}

/** The started containers as the lab's hosts, each with its name, role, address and agent. */
function hostsOf(
  spec: TopologySpec,
  id: string,
  nets: LabNetworkPair,
  c: HostContainers,
  routerLog: string,
  links: HostLinks,
): Hosts {
  const sides = routerSides(routerLog, nets.server, nets.client);
  const router = new RouterHost(`${id}-router`, c.router, links.router, ...sides);
  const server = new LabHost(
    'server',
    'server',
    `${id}-server`,
    nets.server.subnet.host(SERVER),
    c.server,
    links.server,
  );
  const clients = spec.clients.map((name, i) => {
    const ip = nets.client.subnet.host(FIRST_CLIENT + i);
    return new LabHost(name, 'client', `${id}-client-${name}`, ip, c.clients[i], links.clients[i]);
  });
  const attacker =
    c.attacker && c.attackerNet && spec.attacker
      ? new AttackerHost(
          `${id}-attacker`,
          c.attackerNet.subnet.host(ATTACKER),
          c.attacker,
          links.attacker!,
          spec.attacker.on,
          spec.attacker.sharedMedium ?? false,
        )
      : null;
  return { router, server, clients, attacker };
}

interface HostContainerSpec {
  labels: Record<string, string>;
  containerName: string;
  hostName: string;
  net: LabNetwork;
  ip: string;
  /** The other network and the router's address on this host's network; none for the router. */
  route: { cidr: string; gateway: string } | undefined;
}

async function createHostContainer(
  docker: Docker,
  spec: TopologySpec & { image: string },
  host: HostContainerSpec,
): Promise<Docker.Container> {
  const { net, ip, route } = host;
  return docker.createContainer({
    name: host.containerName,
    Hostname: host.hostName,
    Image: spec.image,
    Cmd: hostEntry(route),
    // The agent's requests come on stdin, through the lab's attached stream.
    OpenStdin: true,
    Labels: host.labels,
    HostConfig: {
      // tini as pid 1 reaps whatever a program of the host leaves behind.
      Init: true,
      // All a host prints is its agent's traffic, pcaps included, which the lab reads as it comes:
      // no log file on the engine's disk growing with every capture copied out (and a little less
      // of the engine's CPU: 0.06 CPU-seconds less per 20 MB copied, measured).
      LogConfig: { Type: 'none', Config: {} },
      CapAdd: ['NET_ADMIN', 'NET_RAW'],
      // Nothing of this machine is mounted: code comes in the image, the server's files by
      // putArchive, results go out through the host's agent (or getArchive from a dead host), so
      // any engine, local or remote, runs the same lab.
      // /proc/sys is read-only inside a container: forwarding must be set here.
      Sysctls: route ? {} : { 'net.ipv4.ip_forward': '1' },
    },
    // Docker only honours a fixed address given in the endpoint config of a
    // network that has an IPAM subnet; testcontainers exposes neither.
    NetworkingConfig: { EndpointsConfig: { [net.name]: { IPAMConfig: { IPv4Address: ip } } } },
  });
}

function routeFrom(own: LabNetwork, other: LabNetwork): { cidr: string; gateway: string } {
  return { cidr: other.subnet.cidr, gateway: own.subnet.host(ROUTER) };
}

/** Which router interface is on which network (Docker does not promise eth0/eth1 order), from the addresses its log lists. */
function routerSides(log: string, server: LabNetwork, client: LabNetwork): [RouterSide, RouterSide] {
  const ifaceOf = (ip: string) => {
    const line = log.split('\n').find((l) => l.includes(` ${ip}/`));
    const iface = line?.trim().split(/\s+/)[1]?.replace(/@.*/, '');
    if (!iface) throw new TopologyError(`router has no interface with ${ip}:\n${log}`);
    return iface;
  };
  const side = (net: LabNetwork): RouterSide => {
    const ip = net.subnet.host(ROUTER);
    return { iface: ifaceOf(ip), ip, cidr: net.subnet.cidr };
  };
  return [side(server), side(client)];
}

/**
 * A host's first command: its route through the router, one packet per packet, its addresses
 * for the log, then the host's agent, which runs the lab's commands. Every network is attached
 * before a container's first process runs, so this needs no exec once the host is up (an exec
 * costs the engine about as much CPU as a Node start-up: on two cores, that is what limits the lab).
 */
function hostEntry(route: { cidr: string; gateway: string } | undefined): string[] {
  const setRoute = route ? 'ip route replace "$1" via "$2" || exit 1; ' : '';
  const script = `${setRoute}${ONE_PACKET_PER_PACKET}; ip -o -4 addr show; echo ${READY_LINE}`;
  return agentCommand(script, [route?.cidr ?? '', route?.gateway ?? '']);
}

const READY_LINE = 'lab-host-ready';
const READY = new RegExp(`^${READY_LINE}$`);
const SET_UP_TIMEOUT_MS = 30_000;

/** What a host's entry printed up to READY; fails with its last lines when the host stopped or took too long. */
async function setUpLog(link: AgentLink): Promise<string> {
  await link.log.waitFor(READY, SET_UP_TIMEOUT_MS);
  return link.log.text();
}

/**
 * veth offloads let the kernel pass (and capture) one large TCP "segment" for
 * many packets, and a per-packet drop rule would hit the whole batch: limit
 * GSO to one segment on every interface so one packet on the wire is one
 * packet everywhere. Best effort: an older kernel may refuse the attribute.
 */
const ONE_PACKET_PER_PACKET =
  'for i in $(ls /sys/class/net); do [ "$i" = lo ] || ip link set dev "$i" gso_max_segs 1 2>/dev/null; done; true';
