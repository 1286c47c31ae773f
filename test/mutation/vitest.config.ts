import { defineConfig } from 'vitest/config';

/**
 * The suites StrykerJS runs against each mutant (stryker.config.json): those that exercise the
 * mutated folders in process. Browser, container, package, docs and soak suites are left out: they
 * test other things, and each would multiply a mutation run's hours.
 */
export default defineConfig({
  test: {
    include: [
      'test/ledger/**/*.test.ts',
      'test/store/**/*.test.ts',
      'test/mock/**/*.test.ts',
      'test/sdk/**/*.test.ts',
      'test/server/**/*.test.ts',
      'test/verification/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
