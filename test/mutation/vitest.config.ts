import { defineConfig } from 'vitest/config';

/**
 * The suites StrykerJS runs against each mutant (stryker.config.mjs): those that exercise the
 * mutated folders in process. Browser, container, package, docs and soak suites are left out: they
 * test other things, and each would multiply a mutation run's hours.
 *
 * MUTATION_TESTS (comma-separated test folders or files) narrows the suites for a run of one folder
 * (docs/benchmarks.md, "Mutation testing" has the commands): each mutant then runs only the tests of
 * that folder that cover it, and the first run of the suites takes seconds instead of minutes.
 */
const all = [
  'test/ledger/**/*.test.ts',
  'test/store/**/*.test.ts',
  'test/mock/**/*.test.ts',
  'test/sdk/**/*.test.ts',
  'test/server/**/*.test.ts',
  'test/verification/**/*.test.ts',
];

const narrowed = (process.env.MUTATION_TESTS ?? '')
  .split(',')
  .map((entry) => entry.trim())
  .filter((entry) => entry !== '')
  .map((entry) => (entry.endsWith('.ts') ? entry : `${entry.replace(/\/$/, '')}/**/*.test.ts`));

export default defineConfig({
  test: {
    include: narrowed.length > 0 ? narrowed : all,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
