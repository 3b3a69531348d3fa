import { describe, expect, it } from 'vitest';
import { programCommand } from './app-bundle.ts';
import { appContext } from './app-image.ts';

describe("the app image's build context", () => {
  it('holds the services and the packages they run with, and nothing a container must not need', async () => {
    const { files } = await appContext('sha256:lab');
    const names = new Set(files.map((f) => f.name));
    for (const needed of [
      'Dockerfile',
      'app/package.json',
      'app/tsconfig.json',
      'app/services/server/main.ts',
      'app/services/client/main.ts',
      'app/services/protocol/datagram.ts',
      'app/dist/server.mjs',
      'app/dist/server.mjs.map',
      'app/dist/client.mjs',
      'app/dist/client.mjs.map',
      'node_modules/tsx/package.json',
      'node_modules/commander/package.json',
      'node_modules/cli-progress/package.json',
      'node_modules/esbuild/package.json',
    ])
      expect(names, needed).toContain(needed);
    const unwanted = [...names].filter(
      (n) =>
        n.endsWith('.test.ts') ||
        n.includes('/test-support/') ||
        n.startsWith('node_modules/node/') ||
        n.startsWith('node_modules/vitest/') ||
        n.startsWith('node_modules/dockerode/') ||
        n.includes('/.bin/') ||
        n.startsWith('app/lab/'),
    );
    expect(unwanted).toEqual([]);
    expect(files.find((f) => f.name === 'Dockerfile')?.content.toString()).toMatch(/^FROM sha256:lab\n/);
  });

  it('is named by a hash of what it holds: the same tree gives the same tag, another lab image another', async () => {
    const [a, b, c] = await Promise.all([
      appContext('sha256:lab'),
      appContext('sha256:lab'),
      appContext('sha256:other'),
    ]);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
  });
});

describe('the programs as the lab runs them', () => {
  it('are bundles of the very entry points a person runs, mapped back to their sources', async () => {
    const { files } = await appContext('sha256:lab');
    const text = (name: string) => files.find((f) => f.name === name)!.content.toString('utf8');
    expect(text('app/dist/server.mjs')).toMatch(/\/\/# sourceMappingURL=server\.mjs\.map\s*$/);
    const map = JSON.parse(text('app/dist/client.mjs.map')) as { sources: string[] };
    expect(map.sources).toEqual(
      expect.arrayContaining(['../services/client/main.ts', '../services/protocol/datagram.ts']),
    );
    expect(programCommand('client')).toEqual(['node', '--enable-source-maps', '/app/dist/client.mjs']);
  });
});
