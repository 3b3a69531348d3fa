import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

let cached: string | undefined;

/**
 * The charts' browser code, bundled from its TypeScript modules into one script with the types
 * stripped: inlined into report.html, so the page draws offline, opened from disk, mailed or
 * attached to a CI run.
 */
export function browserScript(): string {
  // `</script` inside the code would end the element early; in strings `<\/` means the same.
  cached ??= buildSync({
    entryPoints: [fileURLToPath(new URL('./browser/sequence-view.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0].text.replace(/<\//g, '<\\/');
  return cached;
}
