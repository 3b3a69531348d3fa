import { GenericContainer } from 'testcontainers';
import { ensureLabImage } from './ensure-lab-image.ts';
import { LAB_IMAGE } from './labels.ts';
import { oncePerProcess } from './once-per-process.ts';

export interface NetemSupport {
  available: boolean;
  /** tc's answer when it is not, e.g. "Specified qdisc kind is unknown." */
  detail: string;
}

/**
 * Whether the Docker host's kernel has netem, tried for real: add a netem
 * qdisc on lo in a throwaway container with NET_ADMIN. A plain create-run-
 * exec-remove with nothing lab-specific, which is what testcontainers is
 * good at. Once per process.
 */
export const detectNetem: () => Promise<NetemSupport> = oncePerProcess(probe);

async function probe(): Promise<NetemSupport> {
  // Ryuk, testcontainers' reaper, is an image from a registry this machine cannot reach.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  await ensureLabImage();
  const container = await new GenericContainer(LAB_IMAGE)
    .withCommand(['sleep', 'infinity'])
    .withAddedCapabilities('NET_ADMIN')
    .withLabels({ 'udp-chat-lab.probe': 'netem' })
    .start();
  try {
    const r = await container.exec(['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
    return { available: r.exitCode === 0, detail: r.output.trim() || `tc exited ${r.exitCode}` };
  } finally {
    await container.stop({ remove: true, timeout: 0 });
  }
}
