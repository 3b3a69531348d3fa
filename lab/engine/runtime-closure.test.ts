import { describe, expect, it } from 'vitest';
import { importedPackages, runtimeClosure, type LockPackages } from './runtime-closure.ts';

const lock: LockPackages = {
  '': { dependencies: { a: '1' } },
  'node_modules/a': { dependencies: { b: '1', c: '2' } },
  'node_modules/b': { optionalDependencies: { 'b-darwin': '1', 'b-linux': '1' } },
  'node_modules/b-darwin': {},
  'node_modules/b-linux': {},
  'node_modules/c': { dependencies: { d: '1' } },
  'node_modules/a/node_modules/c': { dependencies: { d: '2', e: '1' } },
  'node_modules/a/node_modules/c/node_modules/d': {},
  'node_modules/a/node_modules/e': {},
  'node_modules/e': {},
  'node_modules/d': {},
  'node_modules/unrelated': {},
};

describe('the packages a program needs at run time', () => {
  it('resolves each dependency the way Node does, from the nearest node_modules upwards, and leaves the rest out', () => {
    const installed = (p: string) => p !== 'node_modules/b-darwin';
    expect(runtimeClosure(lock, ['a'], installed)).toEqual([
      'node_modules/a',
      'node_modules/a/node_modules/c',
      'node_modules/a/node_modules/c/node_modules/d',
      'node_modules/a/node_modules/e',
      'node_modules/b',
      'node_modules/b-linux',
    ]);
  });

  it('says which package is missing rather than building an image that cannot start', () => {
    expect(() => runtimeClosure(lock, ['a'], (p) => p !== 'node_modules/b')).toThrow(/b \(needed by node_modules\/a\)/);
  });

  it('reads the packages a source imports, not built-ins or relative paths', () => {
    const source = [
      "import { Command } from 'commander';",
      "import cliProgress from 'cli-progress';",
      "import type { X } from '@scope/pkg/sub';",
      "import path from 'node:path';",
      "import fs from 'fs';",
      "import { parse } from '../protocol/line-codec.ts';",
      "const lazy = await import('lazy-pkg');",
    ].join('\n');
    expect(importedPackages(source).sort()).toEqual(['@scope/pkg', 'cli-progress', 'commander', 'lazy-pkg']);
  });
});
