// ESLint with typescript-eslint's type-aware strict rules. Formatting is Prettier's job (npm run format:check),
// import boundaries and cycles are dependency-cruiser's (.dependency-cruiser.cjs), dead code is knip's (knip.json):
// `npm run lint` runs all four. Every rule turned off or down here says why.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // lab/report/browser has its own tsconfig (DOM types) and is type-checked by npm run typecheck.
  { ignores: ['node_modules/', 'lab-results/', '.tmp/', 'dist/', 'files/', 'lab/report/browser/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.cjs', 'vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // Numbers and booleans in messages are what the messages are for; objects and unions still need a string.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `return this.send(…)` ends a void handler in one line, the house style of the command handlers;
      // a void value is still never used, which the type checker already guarantees.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // `!` marks a lookup the line above established (a Map.get after has, an index inside bounds): with
      // noUncheckedIndexedAccess off, the alternative is a branch that can never run.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Control characters in patterns are the point where they appear: names, file names and XML text are
      // checked or cleaned of them, and tests strip terminal escapes.
      'no-control-regex': 'off',
      // With noUncheckedIndexedAccess off, the rule takes `record[key]?.x` and `match[2] ?? match[1]` for
      // dead code when they are the only guard against a missing key or an unmatched group.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // `return void stats.dropped++` counts and leaves a handler in one line, the receivers' style.
      '@typescript-eslint/no-meaningless-void-operator': 'off',
      // Spreading a string counts code points, which is what the name limit and the terminal's columns count.
      '@typescript-eslint/no-misused-spread': 'off',
    },
  },
  {
    // Production code: a function must fit on one screen (the bound). Tests and fixtures are exempt:
    // a test's body is its story.
    files: ['services/**/*.ts', 'lab/**/*.ts', 'scenarios/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**', 'services/test-support/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    // Tests read back the JSON the code under test wrote (summary.json, result.json …) and assert on its
    // shape, so an unexpected shape fails the assertion itself; fakes implement async interfaces without awaiting.
    files: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Fakes and fixtures implement async interfaces (ask, getArchive …) with answers they already hold.
    files: ['**/*.test.ts', '**/testing/**', 'services/test-support/**'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
