import { afterAll, afterEach, beforeAll } from 'vitest';
import { makeFilesFixture, type FilesFixture } from './files-fixture.ts';
import { startTestServer, type TestServer } from './test-server.ts';

export interface ServerFixture {
  readonly server: TestServer;
  readonly fixture: FilesFixture;
  /** Closes `o` after the current test. */
  track<T extends { close(): void }>(o: T): T;
}

/**
 * One in-process server per test file over a files fixture, with the hooks that start and
 * stop it and close what each test opened. `prepare` may change the folder before the start.
 */
export function useServerFixture(
  prefix: string,
  extra: Record<string, Buffer | string> = {},
  prepare?: (f: FilesFixture) => Promise<void>,
): ServerFixture {
  const open: { close(): void }[] = [];
  let server: TestServer | undefined;
  let fixture: FilesFixture | undefined;
  beforeAll(async () => {
    fixture = await makeFilesFixture(prefix, extra);
    await prepare?.(fixture);
    server = await startTestServer(fixture.files);
  });
  afterEach(() => {
    for (const o of open.splice(0)) o.close();
  });
  afterAll(async () => {
    await server?.started.close();
    await fixture?.remove();
  });
  return {
    get server() {
      return server!;
    },
    get fixture() {
      return fixture!;
    },
    track(o) {
      open.push(o);
      return o;
    },
  };
}
