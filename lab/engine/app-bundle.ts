import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './ensure-lab-image.ts';

/** The programs a lab host runs, by the entry point a person runs them from (`npm run server`, `npm run client`). */
export const PROGRAMS = {
  server: 'services/server/main.ts',
  client: 'services/client/main.ts',
} as const;
export type Program = keyof typeof PROGRAMS;

const BUNDLE_DIR = 'dist';

/** How a lab host starts a program: Node on its bundle, stack traces mapped back to the sources. */
export function programCommand(program: Program): string[] {
  return ['node', '--enable-source-maps', `/app/${BUNDLE_DIR}/${program}.mjs`];
}

/**
 * Each program compiled with its imports into one ES module (and its source map), as the app
 * image carries it: the same sources `npm run server` and `npm run client` run through tsx, but
 * a program starts in about 0.2 CPU-seconds instead of 0.8 (measured in a lab container), which
 * counts when a dozen scenarios start forty programs on two cores. Files are named as in the
 * image below /app.
 */
export async function bundlePrograms(repo = REPO_ROOT): Promise<Array<{ name: string; content: Buffer }>> {
  const result = await build({
    absWorkingDir: repo,
    entryPoints: Object.fromEntries(Object.entries(PROGRAMS).map(([name, entry]) => [name, entry])),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    outdir: BUNDLE_DIR,
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    write: false,
    logLevel: 'silent',
    // Packages written as CommonJS call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as __labRequire } from 'node:module'; const require = __labRequire(import.meta.url);",
    },
  });
  return result.outputFiles
    .map((f) => ({ name: path.relative(repo, f.path).split(path.sep).join('/'), content: Buffer.from(f.contents) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
