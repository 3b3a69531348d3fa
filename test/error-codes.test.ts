import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The doc and the source are held to each other: a code raised anywhere must have its row in
// docs/ERRORS.md, and every row must name a class and a file that still raise it.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CODE = /\b(?:LAB|SERVER|CLIENT|TEST)_ERR_[A-Z0-9_]+\b/g;
const ROW = /^\| `([A-Z0-9_]+)` \| `(\w+)` \(([\w/.-]+(?:\.ts|\/))\) \|/;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

async function source(): Promise<Map<string, string>> {
  const files = (await Promise.all(['services', 'lab', 'scenarios', 'scripts'].map(sourceFiles))).flat();
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(path.join(ROOT, f), 'utf8')] as const)));
}

async function documented(): Promise<{ code: string; className: string; file: string }[]> {
  const doc = await readFile(path.join(ROOT, 'docs/ERRORS.md'), 'utf8');
  return doc.split('\n').flatMap((line) => {
    const m = ROW.exec(line);
    return m ? [{ code: m[1], className: m[2], file: m[3] }] : [];
  });
}

describe('docs/ERRORS.md', () => {
  it('lists every error code the source raises, and none it does not', async () => {
    const codes = new Set([...(await source()).values()].flatMap((text) => text.match(CODE) ?? []));
    const rows = new Set((await documented()).map((r) => r.code));
    expect([...codes].filter((c) => !rows.has(c)).sort()).toEqual([]);
    expect([...rows].filter((c) => !codes.has(c)).sort()).toEqual([]);
    expect(rows.size).toBeGreaterThan(20);
  });

  it('names for each code the class that carries it and a file that raises it', async () => {
    const files = await source();
    const definitions = [...files.values()];
    for (const { code, className, file } of await documented()) {
      const defining = definitions.filter((text) => new RegExp(`class ${className} extends \\w+`).test(text));
      expect(defining, `${className} is defined once`).toHaveLength(1);
      expect(defining[0], `${className} carries ${code}`).toContain(`'${code}'`);
      // A file, or a folder (ending in /) one of whose files raises it; a class not raised yet names its own file.
      const named = [...files].filter(([f]) => (file.endsWith('/') ? f.startsWith(file) : f === file));
      const raises = named.some(([, text]) => new RegExp(`new ${className}\\(|class ${className} `).test(text));
      expect(raises, `${file} raises ${className}`).toBe(true);
    }
  });
});

describe('the error families', () => {
  it('have one base per side: no other error class of the lab, server or client extends Error itself', async () => {
    const bases: Record<string, string> = {
      lab: 'LabError',
      'services/server': 'ServerError',
      'services/client': 'ClientError',
    };
    const strays: string[] = [];
    for (const [file, text] of await source()) {
      const side = Object.keys(bases).find((prefix) => file.startsWith(`${prefix}/`));
      if (!side) continue;
      for (const m of text.matchAll(/class (\w+) extends Error\b/g))
        if (m[1] !== bases[side]) strays.push(`${file}: ${m[1]}`);
    }
    expect(strays).toEqual([]);
  });
});
