// Mutation testing with StrykerJS: `npm run test:mutation` (docs/benchmarks.md, "Mutation testing").
// Not part of npm test: a full run takes hours on two cores. `-- --incremental` re-tests only the
// mutants whose code or covering tests changed since the last run (reports/mutation/).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.config.ts' },
  // The code whose bugs lose money or answers: the stores, the ledger, the pipeline, the SDK core.
  mutate: [
    'mock/store/**/*.ts',
    'mock/ledger/**/*.ts',
    'mock/steps/**/*.ts',
    'mock/registry/**/*.ts',
    'mock/family-kit/**/*.ts',
    'mock/services/**/*.ts',
    'src/core/**/*.ts',
  ],
  // Each mutant runs only the tests that cover it.
  coverageAnalysis: 'perTest',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  thresholds: { high: 85, low: 80, break: null },
  concurrency: 2,
  timeoutMS: 20_000,
  // The first run of the whole selection (with coverage per test) is long on a shared machine.
  dryRunTimeoutMinutes: 60,
  tempDirName: '.stryker-tmp',
};
