import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { bundlePrograms } from './app-bundle.ts';
import { REPO_ROOT } from './ensure-lab-image.ts';
import { ImageBuildError } from './engine-errors.ts';
import { followToEnd } from './follow-progress.ts';
import { APP_LABEL, TREE_LABEL } from './labels.ts';
import { appImageTag, pruneAppImages, treeId } from './prune-app-images.ts';
import { importedPackages, runtimeClosure, type LockPackages } from './runtime-closure.ts';

export interface ContextFile {
  /** Path inside the build context, POSIX separators. */
  name: string;
  mode: number;
  content: Buffer;
}

export interface AppContext {
  files: ContextFile[];
  /** Over every file's name, mode and bytes, and the lab image's id: equal hash, equal image. */
  hash: string;
}

// node_modules first: it changes least, so the builder's cache keeps that layer when only code changed.
const dockerfile = (labImage: string) =>
  [`FROM ${labImage}`, 'COPY node_modules /app/node_modules', 'COPY app /app', 'WORKDIR /app', ''].join('\n');

/**
 * The working tree's programs as a Docker build context: each program bundled (app-bundle.ts),
 * the services' sources (tests left out) its source map points at, package.json and tsconfig.json,
 * and the node_modules packages that run TypeScript in a host (tsx, for a helper such as the
 * attacker's agent) and that the services import, with their dependencies; never the repo's own
 * Node binary, which the lab image already has. Nothing of this machine is mounted into a container: the code travels
 * to any engine, local or remote, inside this image.
 */
export async function appContext(labImageId: string, repo = REPO_ROOT): Promise<AppContext> {
  const sources = (await filesUnder(repo, 'services')).filter(
    (f) => !/(\.test\.ts$|\/testing\/|\/test-support\/)/.test(f),
  );
  const app: ContextFile[] = [];
  for (const rel of ['package.json', 'tsconfig.json', ...sources]) app.push(await contextFile(repo, rel, `app/${rel}`));
  const roots = new Set(['tsx']);
  for (const f of app)
    if (f.name.endsWith('.ts')) importedPackages(f.content.toString('utf8')).forEach((p) => roots.add(p));
  const lock = JSON.parse(await readFile(path.join(repo, 'package-lock.json'), 'utf8')) as { packages: LockPackages };
  const modules: ContextFile[] = [];
  for (const pkg of runtimeClosure(lock.packages, [...roots], (p) => existsSync(path.join(repo, p)))) {
    for (const rel of await filesUnder(repo, pkg, { skipNested: true }))
      modules.push(await contextFile(repo, rel, rel));
  }
  for (const bundle of await bundlePrograms(repo))
    app.push({ name: `app/${bundle.name}`, mode: 0o644, content: bundle.content });
  const files = [{ name: 'Dockerfile', mode: 0o644, content: Buffer.from(dockerfile(labImageId)) }, ...modules, ...app];
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.name}\0${f.mode}\0${f.content.length}\0`).update(f.content);
  return { files, hash: hash.digest('hex') };
}

/**
 * The app image on this engine, tagged by its context's hash: an unchanged tree reuses it at once;
 * a changed one is built (a few seconds; the node_modules layer comes from the cache), and the
 * images this tree built before it are removed. Returns the tag.
 */
export async function ensureAppImage(docker: Docker, labImage: string): Promise<string> {
  const context = await appContext((await docker.getImage(labImage).inspect()).Id);
  const tag = appImageTag(context.hash);
  if (!(await exists(docker, tag))) await buildAppImage(docker, context, tag);
  await pruneAppImages(docker, tag);
  return tag;
}

/** The tag this tree's app image has on this engine now, built or not; undefined without the lab image. */
export async function currentAppImage(docker: Docker, labImage: string): Promise<string | undefined> {
  const lab = await docker
    .getImage(labImage)
    .inspect()
    .catch(() => undefined);
  return lab ? appImageTag((await appContext(lab.Id)).hash) : undefined;
}

async function buildAppImage(docker: Docker, context: AppContext, tag: string): Promise<void> {
  const stream = await docker.buildImage(packContext(context.files), {
    t: tag,
    labels: { [APP_LABEL]: context.hash, [TREE_LABEL]: treeId() },
    rm: true,
    forcerm: true,
  });
  await followToEnd(docker, stream, (why) => new ImageBuildError(`app image ${tag}: ${why}`));
  if (!(await exists(docker, tag))) throw new ImageBuildError(`app image ${tag} was not there after its build`);
}

export function packContext(files: readonly ContextFile[]): NodeJS.ReadableStream {
  const pack = tar.pack();
  for (const f of files) pack.entry({ name: f.name, mode: f.mode, mtime: new Date(0) }, f.content);
  pack.finalize();
  // tar-stream's pack is a streamx stream; docker-modem pipes a Node one into its request.
  return Readable.from(pack, { objectMode: false });
}

async function exists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

async function contextFile(repo: string, rel: string, name: string): Promise<ContextFile> {
  const full = path.join(repo, rel);
  const info = await stat(full);
  return { name, mode: info.mode & 0o111 ? 0o755 : 0o644, content: await readFile(full) };
}

/** Regular files under `dir` (relative to `repo`, sorted); with skipNested, not inside a nested node_modules or .bin. */
async function filesUnder(repo: string, dir: string, opts: { skipNested?: boolean } = {}): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await readdir(path.join(repo, rel), { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (opts.skipNested && (e.name === 'node_modules' || e.name === '.bin')) continue;
        await walk(child);
      } else if (e.isFile()) out.push(child);
    }
  };
  await walk(dir);
  return out.sort();
}
