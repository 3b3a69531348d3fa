import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { saveDownload } from './save-download.ts';
import { lastByteReport } from './save-prompt.ts';

let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

async function withTemp(): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'client-save-'));
  const temp = path.join(dir, '.x.part');
  await writeFile(temp, 'data');
  return temp;
}

it('moves the temp file into place', async () => {
  const temp = await withTemp();
  await saveDownload(temp, path.join(dir, 'x.txt'));
  expect(await readdir(dir)).toEqual(['x.txt']);
  expect(await readFile(path.join(dir, 'x.txt'), 'utf8')).toBe('data');
});

it('never replaces an existing file, and keeps the temp file for another try', async () => {
  const temp = await withTemp();
  await writeFile(path.join(dir, 'x.txt'), 'old');
  await expect(saveDownload(temp, path.join(dir, 'x.txt'))).rejects.toMatchObject({ code: 'CLIENT_ERR_SAVE_EXISTS' });
  expect(await readFile(path.join(dir, 'x.txt'), 'utf8')).toBe('old');
  expect(await readFile(temp, 'utf8')).toBe('data');
});

it('reports a name that cannot be written with its reason', async () => {
  const temp = await withTemp();
  await writeFile(path.join(dir, 'file'), '');
  await expect(saveDownload(temp, path.join(dir, 'file', 'x.txt'))).rejects.toMatchObject({
    code: 'CLIENT_ERR_SAVE_FAILED',
    message: `Can't save as ${path.join(dir, 'file', 'x.txt')}: not a directory (ENOTDIR). Choose another name.`,
  });
});

it('warns clearly when the last byte does not match', () => {
  expect(lastByteReport(10, 10)).toBe('Last byte matches: 10.');
  expect(lastByteReport(null, null)).toBe('Last byte matches: none.');
  expect(lastByteReport(10, 11)).toBe('Warning: last byte mismatch: the server says 10, received 11.');
  expect(lastByteReport(undefined, 3)).toMatch(/^Warning: the server did not confirm/);
});
