import { defineConfig } from 'vitest/config';

/**
 * The tests that load the machine on purpose — a hundred concurrent writers against a pool of ten,
 * SIGTERM under load, two instances racing, a real `npm start` that must be healthy within 20 s — or
 * whose assertions hold only when nothing else competes for the two cores: they run after all the
 * others, one file at a time (project `load`, `sequence.groupOrder` 1).
 */
const LOAD = [
  'test/e2e/drills/write-concurrency.e2e.test.ts',
  'test/e2e/drills/returns-races.e2e.test.ts',
  'test/e2e/drills/shed-and-retried.e2e.test.ts',
  'test/e2e/drills/checkout-races.e2e.test.ts',
  'test/e2e/drills/sigterm-under-load.e2e.test.ts',
  'test/e2e/drills/two-instances.kafka.e2e.test.ts',
  'test/e2e/process/npm-start.e2e.test.ts',
];

export default defineConfig({
  test: {
    reporters: ['default'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // two files at a time (the machine's two cores; the database tests mostly wait on Postgres)
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: ['**/*.int.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/integration/**/*.test.ts', 'src/**/*.int.test.ts'],
          // every file builds its own data sources and apps: a worker reuses its loaded modules
          // (the app's import graph) from one file to the next instead of loading them again
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/e2e/**/*.test.ts'],
          exclude: LOAD,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'load',
          globalSetup: ['test/support/global-setup.ts'],
          include: LOAD,
          isolate: false,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
