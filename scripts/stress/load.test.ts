import { describe, expect, it } from 'vitest';
import { useServerFixture } from '../../services/test-support/server-fixture.ts';
import { runChatLoad } from './chat-load.ts';
import { runDownloadLoad } from './download-load.ts';
import { makePatternFile } from './fixtures.ts';

/** The correctness half of `npm run stress`, at a size for the unit tests: no figures, only checks. */
const env = useServerFixture('load');

describe('load at small scale', () => {
  it('2 ports × 5 clients: every broadcast reaches every other client exactly once', async () => {
    const rows = await runChatLoad({
      ports: env.server.ports,
      clientsPerPort: 5,
      messagesPerClient: 4,
      intervalMs: 20,
    });
    expect(rows.filter((r) => r.ok === false)).toEqual([]);
    expect(rows.find((r) => r.figure === 'deliveries received')?.value).toBe(String(10 * 9 * 4));
  });

  it('2 downloads at once: both intact', async () => {
    const { sha256 } = await makePatternFile(env.fixture.files, 'load.bin', 300_000);
    const rows = await runDownloadLoad({
      ports: env.server.ports,
      downloads: 2,
      file: 'load.bin',
      bytes: 300_000,
      expectedSha256: sha256,
    });
    expect(rows.find((r) => r.figure === 'intact (SHA-256 equal)')).toMatchObject({ value: '2 of 2', ok: true });
  });
});
