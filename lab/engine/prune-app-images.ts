import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { REPO_ROOT } from './ensure-lab-image.ts';
import { APP_LABEL, TREE_LABEL } from './labels.ts';

export const APP_IMAGE_REPO = 'udp-chat-lab-app';

/** Which working tree an app image was built from: this machine and the tree's folder. */
export const treeId = (repo = REPO_ROOT): string => `${hostname()}:${repo}`;

/**
 * The app image's tag: its build context and its tree. Two checkouts of the same code get an image
 * each (the second build comes from the builder's cache), so neither ever prunes the other's.
 */
export const appImageTag = (contextHash: string, tree = treeId()): string =>
  `${APP_IMAGE_REPO}:${createHash('sha256').update(`${contextHash}\0${tree}`).digest('hex').slice(0, 16)}`;

/**
 * Removes the app images this working tree built before `current` (each code change builds one of
 * about 290 MB); with `unnamedToo`, also app images from before images named their tree. Images
 * of other trees (another checkout, another machine sharing the engine) are left alone, and so is
 * any image a container uses, kept or running: the engine refuses and it is skipped.
 * Returns the tags removed.
 */
export async function pruneAppImages(
  docker: Docker,
  current: string | undefined,
  opts: { tree?: string; unnamedToo?: boolean; repository?: string } = {},
): Promise<string[]> {
  const tree = opts.tree ?? treeId();
  const repository = opts.repository ?? APP_IMAGE_REPO;
  const images = await docker.listImages({ filters: JSON.stringify({ label: [APP_LABEL] }) });
  const stale = images.filter((image) => {
    const owner = image.Labels?.[TREE_LABEL];
    const ours = owner === tree || (owner === undefined && opts.unnamedToo === true);
    const tags = image.RepoTags ?? [];
    return ours && tags.some((t) => t.startsWith(`${repository}:`)) && !tags.includes(current ?? '');
  });
  const removed: string[] = [];
  for (const image of stale) {
    const names = (image.RepoTags ?? []).filter((t) => t.startsWith(`${repository}:`));
    try {
      for (const name of names) {
        await docker.getImage(name).remove();
        removed.push(name);
      }
    } catch (err) {
      // 409: a container (a kept run, a run still going) uses it. 404: removed meanwhile.
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== 409 && status !== 404) throw err;
    }
  }
  return removed;
}
