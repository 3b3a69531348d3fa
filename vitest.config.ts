import { defineConfig } from 'vitest/config';

// Tests that start containers: they run after the others, one file at a time, so that
// the captures they judge are not starved of CPU by the rest of the suite.
const containerTests = [
  'lab/topology/*.test.ts',
  'lab/engine/prune-app-images.test.ts',
  'lab/scenario/server-program.test.ts',
  'lab/impairment/impairments.test.ts',
  'scenarios/**/*.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/setup/temp-root.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['services/**/*.test.ts', 'lab/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: containerTests,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'lab',
          include: containerTests,
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 900_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
