/**
 * Everything a run creates carries RUN_LABEL=<run id>, so that a cleanup can
 * find leftovers of a run that died without tidying up.
 */
export const RUN_LABEL = 'udp-chat-lab.run';
/** One run may bring up several topologies (one per scenario). */
export const TOPOLOGY_LABEL = 'udp-chat-lab.topology';
export const ROLE_LABEL = 'udp-chat-lab.role';
export const LAB_IMAGE = process.env.LAB_IMAGE ?? 'udp-chat-lab:latest';

export function runLabels(runId: string, role?: string): Record<string, string> {
  return role ? { [RUN_LABEL]: runId, [ROLE_LABEL]: role } : { [RUN_LABEL]: runId };
}
