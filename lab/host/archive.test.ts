import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyOut, putFiles } from './archive.ts';

// GET …/archive answers with a tar stream; a container under someone else's control could put
// anything in it. These archives are made here, since a real engine never writes a `..` entry.
function archiveOf(entries: Array<{ name: string; type?: 'file' | 'directory' | 'symlink'; body?: string }>) {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type === 'symlink') pack.entry({ name: e.name, type: 'symlink', linkname: '/etc/passwd' });
    else if (e.type === 'directory') pack.entry({ name: e.name, type: 'directory' });
    else pack.entry({ name: e.name }, e.body ?? '');
  }
  pack.finalize();
  return Readable.from(pack, { objectMode: false });
}

const containerServing = (archive: () => NodeJS.ReadableStream) =>
  ({ getArchive: async () => archive() }) as unknown as Docker.Container;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'archive-test-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('copying out of a container', () => {
  it('writes files and folders below the folder it was given, and says which', async () => {
    const container = containerServing(() =>
      archiveOf([
        { name: 'alice', type: 'directory' },
        { name: 'alice/copy.bin', body: 'bytes' },
        { name: 'alice/sub/deeper.txt', body: 'more' },
      ]),
    );
    const written = await copyOut(container, '/results/downloads/alice', dir);
    expect(written.map((w) => path.relative(dir, w)).sort()).toEqual(['alice/copy.bin', 'alice/sub/deeper.txt']);
    expect(await readFile(path.join(dir, 'alice/copy.bin'), 'utf8')).toBe('bytes');
    expect(await readdir(path.join(dir, 'alice'))).not.toContain('copy.bin.part');
  });

  it('refuses an entry that climbs out of the folder, and writes nothing there', async () => {
    const container = containerServing(() => archiveOf([{ name: '../escaped.txt', body: 'x' }]));
    await expect(copyOut(container, '/results/x', path.join(dir, 'inside'))).rejects.toMatchObject({
      code: 'LAB_ERR_ARCHIVE',
    });
    expect(await readdir(dir)).not.toContain('escaped.txt');
  });

  it('leaves links out, so nothing points outside the results', async () => {
    const container = containerServing(() =>
      archiveOf([
        { name: 'alice', type: 'directory' },
        { name: 'alice/passwd', type: 'symlink' },
        { name: 'alice/real.txt', body: 'r' },
      ]),
    );
    await copyOut(container, '/results/downloads/alice', dir);
    expect(await readdir(path.join(dir, 'alice'))).toEqual(['real.txt']);
  });

  it('copies nothing, without failing, when the path does not exist in the container', async () => {
    const container = {
      getArchive: async () => {
        throw Object.assign(new Error('no such file'), { statusCode: 404 });
      },
    } as unknown as Docker.Container;
    expect(await copyOut(container, '/results/none.pcap', dir)).toEqual([]);
  });
});

describe('putting files into a container', () => {
  it('sends one tar archive holding each file with its content and mode', async () => {
    let sent: { stream: NodeJS.ReadableStream; path: string } | undefined;
    const container = {
      putArchive: async (stream: NodeJS.ReadableStream, opts: { path: string }) => {
        sent = { stream, path: opts.path };
      },
    } as unknown as Docker.Container;
    await putFiles(container, '/files', [
      { name: 'q.txt', content: 'hello' },
      { name: 'sub/run.sh', content: Buffer.from('#!/bin/sh'), mode: 0o755 },
    ]);
    expect(sent?.path).toBe('/files');
    const seen: Array<[string, number | undefined, string]> = [];
    const extract = tar.extract();
    sent!.stream.pipe(extract);
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      seen.push([entry.header.name, entry.header.mode, Buffer.concat(chunks).toString()]);
    }
    expect(seen).toEqual([
      ['q.txt', 0o644, 'hello'],
      ['sub/run.sh', 0o755, '#!/bin/sh'],
    ]);
  });
});
