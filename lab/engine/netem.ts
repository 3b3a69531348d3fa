import { execIn } from '../host/exec.ts';
import { localOrDefaultEngine, type LabEngine } from './lab-engine.ts';
import { ownerLabels, RUN_LABEL, TOPOLOGY_LABEL } from './labels.ts';

export interface NetemSupport {
  available: boolean;
  /** tc's answer when it is not, e.g. "Specified qdisc kind is unknown." */
  detail: string;
}

const probes = new WeakMap<LabEngine, Promise<NetemSupport>>();

/**
 * Whether the engine's kernel has netem, tried for real: add a netem qdisc on lo in a throwaway
 * container with NET_ADMIN. Once per engine and process (each engine has its own kernel); a
 * failed probe is tried again next time.
 */
export function detectNetem(engine: LabEngine = localOrDefaultEngine()): Promise<NetemSupport> {
  let pending = probes.get(engine);
  if (!pending) {
    pending = probe(engine).catch((err: unknown) => {
      probes.delete(engine);
      throw err;
    });
    probes.set(engine, pending);
  }
  return pending;
}

async function probe(engine: LabEngine): Promise<NetemSupport> {
  const container = await engine.docker.createContainer({
    Image: await engine.labImage(),
    Cmd: ['sleep', 'infinity'],
    // Labelled like a topology of its own, so that `--cleanup` finds it if this process dies mid-probe.
    Labels: { [RUN_LABEL]: 'netem-probe', [TOPOLOGY_LABEL]: `netem-probe-${process.pid}`, ...ownerLabels() },
    HostConfig: { CapAdd: ['NET_ADMIN'], AutoRemove: false, NetworkMode: 'none' },
  });
  try {
    await container.start();
    const r = await execIn(container, ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
    return { available: r.exitCode === 0, detail: (r.stderr + r.stdout).trim() || `tc exited ${r.exitCode}` };
  } finally {
    await container.remove({ force: true });
  }
}
