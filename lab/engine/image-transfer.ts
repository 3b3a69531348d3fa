import type Docker from 'dockerode';
import { ImageBuildError } from './engine-errors.ts';
import { followToEnd } from './follow-progress.ts';

/**
 * Copies an image from one engine to another through the Docker API alone (`docker save` on one
 * side streamed into `docker load` on the other), for engines that reach no registry. Skipped
 * when the target already holds the very same image.
 */
export async function copyImage(from: Docker, to: Docker, tag: string): Promise<void> {
  const { Id: id } = await from.getImage(tag).inspect();
  if ((await idOn(to, tag)) === id) return;
  const saved = await from.getImage(tag).get();
  const loading = await to.loadImage(saved, { quiet: true });
  await followToEnd(to, loading, (why) => new ImageBuildError(`loading ${tag} into another engine: ${why}`));
  const loaded = await idOn(to, tag);
  if (loaded !== id) throw new ImageBuildError(`${tag} on the other engine is ${loaded ?? 'missing'}, not ${id}`);
}

async function idOn(docker: Docker, tag: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(tag).inspect()).Id;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}
