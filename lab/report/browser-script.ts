import { readFileSync } from 'node:fs';
import ts from 'typescript';

let cached: string | undefined;

/**
 * The charts' browser code, from its TypeScript source, types stripped: inlined into report.html,
 * so the page draws offline, opened from disk, mailed or attached to a CI run.
 */
export function browserScript(): string {
  cached ??= ts
    .transpileModule(readFileSync(new URL('./browser/sequence-view.ts', import.meta.url), 'utf8'), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    })
    // `</script` inside the code would end the element early; in strings `<\/` means the same.
    .outputText.replace(/<\//g, '<\\/');
  return cached;
}
