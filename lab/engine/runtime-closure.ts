import { builtinModules } from 'node:module';
import { DependencyMissingError } from './engine-errors.ts';

/** The `packages` map of package-lock.json (lockfile v2/v3): install path → what it needs. */
export interface LockPackages {
  [installPath: string]: {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  };
}

/**
 * The install paths (`node_modules/tsx`, `node_modules/a/node_modules/b`, …) a program needs at
 * run time, starting from the packages it imports, resolved the way Node looks them up (the
 * nearest node_modules upwards). Optional packages not installed here (other platforms' binaries)
 * are left out; `installed` says which paths exist.
 */
export function runtimeClosure(
  packages: LockPackages,
  roots: readonly string[],
  installed: (installPath: string) => boolean,
): string[] {
  const seen = new Set<string>();
  const visit = (from: string, name: string, optional: boolean) => {
    const found = resolve(packages, from, name);
    if (!found || !installed(found)) {
      if (optional) return;
      throw new DependencyMissingError(name, from || 'the services');
    }
    if (seen.has(found)) return;
    seen.add(found);
    const entry = packages[found];
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(found, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(found, dep, true);
    for (const dep of Object.keys(entry.peerDependencies ?? {}))
      visit(found, dep, entry.peerDependenciesMeta?.[dep]?.optional === true);
  };
  for (const root of roots) visit('', root, false);
  return [...seen].sort();
}

function resolve(packages: LockPackages, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/** Package names a source file imports (`commander`, `@scope/pkg`), leaving out node: built-ins and relative paths. */
export function importedPackages(source: string): string[] {
  const names = new Set<string>();
  const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(specifier)) {
    const spec = m[1];
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    if (!builtinModules.includes(name)) names.add(name);
  }
  return [...names];
}
