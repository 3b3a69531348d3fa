import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient } from './docker-client.ts';
import { followToEnd } from './follow-progress.ts';
import { LAB_IMAGE, APP_LABEL, TREE_LABEL } from './labels.ts';
import { packContext } from './app-image.ts';
import { APP_IMAGE_REPO, appImageTag, pruneAppImages } from './prune-app-images.ts';

// App images as runs leave them: several of one tree (each code change builds one), one of
// another checkout, one a kept container still uses. Real images on the real engine (a label
// on the lab image: no layer, built in a moment).
const docker = dockerClient();
const tree = `test-tree-${process.pid}`;
const otherTree = `${tree}-other`;
// A repository of the test's own: the pruning never touches an app image of a real working tree.
const repository = `udp-chat-lab-app-prune-test-${process.pid}`;
const tag = (name: string) => `${repository}:${name}`;
const made: string[] = [];
let keptContainer: string | undefined;

async function appImage(name: string, labels: Record<string, string>, as = tag(name)): Promise<string> {
  const dockerfile = `FROM ${LAB_IMAGE}\n${Object.entries(labels)
    .map(([k, v]) => `LABEL ${JSON.stringify(k)}=${JSON.stringify(v)}`)
    .join('\n')}\n`;
  const stream = await docker.buildImage(
    packContext([{ name: 'Dockerfile', mode: 0o644, content: Buffer.from(dockerfile) }]),
    { t: as, rm: true },
  );
  await followToEnd(docker, stream, (why) => new Error(why));
  made.push(as);
  return as;
}

const exists = (image: string) =>
  docker
    .getImage(image)
    .inspect()
    .then(
      () => true,
      () => false,
    );

beforeAll(async () => {
  for (const name of ['old-1', 'old-2', 'current', 'in-use'])
    await appImage(name, { [APP_LABEL]: name, [TREE_LABEL]: tree });
  await appImage('other-tree', { [APP_LABEL]: 'x', [TREE_LABEL]: otherTree });
  await appImage('unnamed', { [APP_LABEL]: 'y' });
  // An app image from before images named their tree, in the real repository: not the test's to remove.
  await appImage('foreign', { [APP_LABEL]: 'z' }, `${APP_IMAGE_REPO}:prune-test-${process.pid}`);
  const container = await docker.createContainer({ Image: tag('in-use'), Cmd: ['true'] });
  keptContainer = container.id;
}, 120_000);

afterAll(async () => {
  if (keptContainer) await docker.getContainer(keptContainer).remove({ force: true });
  for (const image of made)
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => undefined);
});

describe('pruning the app images of a working tree', () => {
  it("removes this tree's older images, keeps the current one, others' and any a container uses", async () => {
    const removed = await pruneAppImages(docker, tag('current'), { tree, repository });
    expect(removed.sort()).toEqual([tag('old-1'), tag('old-2')]);
    expect(await exists(tag('current'))).toBe(true);
    expect(await exists(tag('in-use'))).toBe(true);
    expect(await exists(tag('other-tree'))).toBe(true);
    expect(await exists(tag('unnamed'))).toBe(true);
  });

  it('with unnamedToo (`npm run lab -- --cleanup`) also removes images from before images named their tree', async () => {
    const removed = await pruneAppImages(docker, tag('current'), { tree, unnamedToo: true, repository });
    expect(removed).toEqual([tag('unnamed')]);
    expect(await exists(`${APP_IMAGE_REPO}:prune-test-${process.pid}`)).toBe(true);
    expect(await exists(tag('other-tree'))).toBe(true);
    expect(await exists(tag('current'))).toBe(true);
  });

  it('names one image per tree for the same code, so two checkouts never prune each other', () => {
    expect(appImageTag('a'.repeat(64), 'host:/src/one')).not.toBe(appImageTag('a'.repeat(64), 'host:/src/two'));
    expect(appImageTag('a'.repeat(64), 'host:/src/one')).toBe(appImageTag('a'.repeat(64), 'host:/src/one'));
  });
});
