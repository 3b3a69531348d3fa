import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundlePrograms, type Program } from '../../lab/engine/app-bundle.ts';
import { REPO_ROOT } from '../../lab/engine/ensure-lab-image.ts';

/**
 * Writes `dist/server.mjs` and `dist/client.mjs` (with source maps): what `npm run server` and
 * `npm run client` run, and what the lab's hosts and the benchmarks run. Node runs the bundle
 * without a TypeScript loader beside it, which keeps about 40 MiB out of each program's memory.
 */
export async function writeProgramBundles(repo = REPO_ROOT): Promise<void> {
  for (const file of await bundlePrograms(repo)) {
    const target = path.join(repo, file.name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
}

/** The arguments for `node` that start a program from its bundle, stack traces mapped back to the sources. */
export function bundledProgram(program: Program, repo = REPO_ROOT): string[] {
  return ['--enable-source-maps', path.join(repo, 'dist', `${program}.mjs`)];
}
