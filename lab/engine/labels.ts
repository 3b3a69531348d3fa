import { hostname } from 'node:os';

/**
 * Everything a run creates carries RUN_LABEL=<run id>, so that a cleanup can
 * find leftovers of a run that died without tidying up.
 */
export const RUN_LABEL = 'udp-chat-lab.run';
/** One run may bring up several topologies (one per scenario). */
export const TOPOLOGY_LABEL = 'udp-chat-lab.topology';
export const ROLE_LABEL = 'udp-chat-lab.role';
export const LAB_IMAGE = process.env.LAB_IMAGE ?? 'udp-chat-lab:latest';
/** The process that made a container or network, and its machine: a cleanup spares what a live process still uses. */
export const PID_LABEL = 'udp-chat-lab.pid';
export const HOSTNAME_LABEL = 'udp-chat-lab.hostname';

export function ownerLabels(): Record<string, string> {
  return { [PID_LABEL]: String(process.pid), [HOSTNAME_LABEL]: hostname() };
}

/** On app images (the working tree's code on the lab image): the hash of their build context. */
export const APP_LABEL = 'udp-chat-lab.app';
/** On app images: the working tree (machine and folder) they were built from, so a run prunes only its own. */
export const TREE_LABEL = 'udp-chat-lab.tree';
