import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The three package entry points, for `import` and `require`, with declarations for both.
    entry: {
      index: 'src/index.ts',
      mock: 'mock/index.ts',
      // `ledgerline/mock/browser`: the reference server without node:http, for setupWorker.
      'mock-browser': 'mock/browser.ts',
      validate: 'src/validate/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    // Runtime dependencies stay imports: the SDK entry pulls in only openapi-fetch.
    external: ['openapi-fetch', 'msw', 'zod', 'jose'],
  },
  {
    // The `ledgerline-mock` CLI: Node only, ESM only (it uses top-level await).
    entry: { cli: 'mock/cli.ts' },
    format: ['esm'],
    platform: 'node',
    sourcemap: true,
    clean: false,
    target: 'node20',
    external: ['msw', 'zod', 'jose', 'pg'],
  },
]);
