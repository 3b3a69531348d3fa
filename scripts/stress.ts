/**
 * Load and soak against the real server program: 240 chatting clients, 16 downloads of a
 * 20 MB file at once, then a soak of chatting and downloading while the server's memory is
 * sampled. Prints a table of figures; exits 1 when any check fails.
 * Usage: npm run stress [-- --quick] [-- --soak-minutes N]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ChildServer } from '../services/test-support/child-server.ts';
import { openFds, rssOf } from '../services/test-support/proc-stats.ts';
import { runChatLoad } from './stress/chat-load.ts';
import { runDownloadLoad } from './stress/download-load.ts';
import { makePatternFile } from './stress/fixtures.ts';
import { runSoak } from './stress/soak.ts';
import { mib } from './stress/stats-math.ts';
import { formatTable, type Row } from './stress/table.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const soakMinutes = Number(values['soak-minutes'] ?? (quick ? 0.5 : 10));
const plan = quick
  ? {
      ports: 2,
      perPort: 5,
      messages: 5,
      intervalMs: 100,
      downloads: 2,
      downloadBytes: 2 * 1024 * 1024,
      chatters: 6,
      downloaders: 2,
    }
  : {
      ports: 16,
      perPort: 15,
      messages: 20,
      intervalMs: 1000,
      downloads: 16,
      downloadBytes: 20 * 1000 * 1000,
      chatters: 30,
      downloaders: 4,
    };

const dir = await mkdtemp(path.join(tmpdir(), 'stress-'));
const filesDir = path.join(dir, 'files');
const big = await makePatternFile(filesDir, 'big.bin', plan.downloadBytes);
const soakFile = await makePatternFile(filesDir, 'soak.bin', 2 * 1024 * 1024);
const server = await ChildServer.start(filesDir, { portCount: plan.ports });
// Ctrl-C must not leave the server running on its own.
process.once(
  'SIGINT',
  () => void server.stop().finally(() => rm(dir, { recursive: true, force: true }).finally(() => process.exit(130))),
);
const tables: string[] = [];
let failed = false;
const report = (title: string, rows: Row[]) => {
  failed ||= rows.some((r) => r.ok === false);
  const table = formatTable(title, rows);
  tables.push(table);
  console.log(table);
};
const serverFigures = async (): Promise<Row[]> => [
  { figure: 'server RSS', value: mib(await rssOf(server.pid)) },
  { figure: 'server open fds', value: String(await openFds(server.pid)) },
];

try {
  console.log(
    `stress ${new Date().toISOString()} — ${cpus().length} cores, ${mib(totalmem())} RAM, node ${process.version}, server pid ${server.pid} on ports ${server.ports[0]}-${server.ports.at(-1)}${quick ? ' (quick)' : ''}`,
  );
  report('Before load', await serverFigures());
  report('Chat: every broadcast to every other client exactly once', [
    ...(await runChatLoad({
      ports: server.ports,
      clientsPerPort: plan.perPort,
      messagesPerClient: plan.messages,
      intervalMs: plan.intervalMs,
    })),
    ...(await serverFigures()),
  ]);
  report('Downloads at once', [
    ...(await runDownloadLoad({
      ports: server.ports,
      downloads: plan.downloads,
      file: 'big.bin',
      bytes: plan.downloadBytes,
      expectedSha256: big.sha256,
    })),
    ...(await serverFigures()),
  ]);
  report(
    'Soak: chatting, downloading, abandoned downloads',
    await runSoak({
      pid: server.pid,
      ports: server.ports,
      minutes: soakMinutes,
      file: 'soak.bin',
      expectedSha256: soakFile.sha256,
      chatters: plan.chatters,
      downloaders: plan.downloaders,
      onSample: values.verbose ? (l) => console.log(l) : undefined,
    }),
  );
  const overflow = server.events('send-queue-overflow').length;
  report('Server log', [
    { figure: 'send-queue overflows', value: String(overflow), ok: overflow === 0 },
    {
      figure: 'internal errors',
      value: String(server.events('internal-error').length),
      ok: server.events('internal-error').length === 0,
    },
    { figure: 'server still running', value: String(!server.exited), ok: !server.exited },
  ]);
} catch (error) {
  failed = true;
  console.error('stress: aborted:', error);
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
console.log(failed ? '\nstress: SOME CHECKS FAILED' : '\nstress: all checks passed');
process.exit(failed ? 1 : 0);
