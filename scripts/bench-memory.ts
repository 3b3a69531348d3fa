/**
 * Downloads a large file (1 GiB by default) from the real server with the real client,
 * both as processes on loopback, and prints each one's peak resident memory.
 * Usage: npm run bench [-- --size-mib 1024]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sha256File } from './bench/files.ts';
import { writeProgramBundles } from './build/program-bundles.ts';
import { makePatternFile } from './stress/fixtures.ts';
import { peakRss, startProgram, waitForLine } from './bench/processes.ts';

const { values } = parseArgs({
  options: { 'size-mib': { type: 'string', default: '1024' }, port: { type: 'string', default: '47100' } },
});
const sizeMiB = Number(values['size-mib']);
const port = Number(values.port);
const MiB = 1024 * 1024;

const dir = await mkdtemp(path.join(tmpdir(), 'bench-memory-'));
const filesDir = path.join(dir, 'files');
const downloads = path.join(dir, 'downloads');
await import('node:fs/promises').then((fs) => Promise.all([fs.mkdir(filesDir), fs.mkdir(downloads)]));
await writeProgramBundles();
const server = startProgram('server', ['--host', '127.0.0.1', '--ports', `${port}-${port}`, '--files', filesDir]);
let client: ReturnType<typeof startProgram> | undefined;
const cleanup = async () => {
  server.kill();
  client?.kill();
  await rm(dir, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

try {
  process.stdout.write(`Making a ${sizeMiB} MiB file… `);
  await makePatternFile(filesDir, 'big.bin', sizeMiB * MiB);
  console.log('done.');
  client = startProgram('client', [
    '--bind',
    '127.0.0.2',
    '--server',
    '127.0.0.1',
    '--port',
    String(port),
    '--name',
    'bench',
    '--downloads',
    downloads,
  ]);
  let peakServer = 0;
  let peakClient = 0;
  const sampler = setInterval(() => {
    void peakRss(server.pid!).then(
      (r) => (peakServer = Math.max(peakServer, r)),
      () => {},
    );
    void peakRss(client!.pid!).then(
      (r) => (peakClient = Math.max(peakClient, r)),
      () => {},
    );
  }, 200);
  const started = performance.now();
  await waitForLine(client, /^Connected to /, 20_000);
  client.stdin!.write('connect\n');
  await waitForLine(client, /^connected$/, 10_000);
  client.stdin!.write('download\nbig.bin\n');
  await waitForLine(client, /^Download reached/, 600_000);
  client.stdin!.write('proceed\n');
  const complete = await waitForLine(client, /^Download complete/, 600_000);
  client.stdin!.write('big-copy.bin\n');
  await waitForLine(client, /^Saved /, 60_000);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakServer = Math.max(peakServer, await peakRss(server.pid!));
  peakClient = Math.max(peakClient, await peakRss(client.pid!));
  const [a, b] = await Promise.all([
    sha256File(path.join(filesDir, 'big.bin')),
    sha256File(path.join(downloads, 'big-copy.bin')),
  ]);
  const saved = (await stat(path.join(downloads, 'big-copy.bin'))).size;
  console.log(`machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  console.log(`file: ${sizeMiB} MiB, saved ${saved} bytes, sha256 ${a === b ? 'equal' : 'DIFFERENT'}`);
  console.log(complete);
  console.log(`time: ${seconds.toFixed(1)} s (${((sizeMiB * 8) / seconds).toFixed(0)} Mbit/s)`);
  console.log(`peak RSS: server ${(peakServer / MiB).toFixed(0)} MiB, client ${(peakClient / MiB).toFixed(0)} MiB`);
  if (a !== b) process.exitCode = 1;
} finally {
  await cleanup();
}
