import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The package entry points, for `import` and `require`, with declarations for both.
    entry: {
      index: 'src/index.ts',
      mock: 'mock/index.ts',
      // `ledgerline/mock/browser`: the reference server without node:http, for setupWorker.
      'mock-browser': 'mock/browser.ts',
      // `ledgerline/mock/matchers`: expect.extend matchers over the request journal (opt-in).
      'mock-matchers': 'mock/matchers.ts',
      validate: 'src/validate/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps: they doubled the install; the files are unminified and read as they are.
    sourcemap: false,
    clean: true,
    target: 'es2022',
    // Dependencies and the optional peers (msw, pg, zod) stay imports: the SDK entry pulls in only
    // openapi-fetch. jose is bundled in: it is ESM-only, and `require('ledgerline/mock')`
    // must work in CommonJS without require(esm) (jest on Node 20); the SDK never loads it.
    external: ['openapi-fetch', 'msw', 'zod', 'pg'],
    noExternal: ['jose'],
  },
  {
    // The `ledgerline-mock` CLI: Node only, ESM only (it uses top-level await).
    entry: { cli: 'mock/cli.ts' },
    format: ['esm'],
    platform: 'node',
    sourcemap: false,
    clean: false,
    target: 'node20',
    // zod is bundled in: `npx ledgerline-mock` runs with the SDK's install alone (zod is an optional peer).
    external: ['msw', 'pg'],
    noExternal: ['jose', 'zod'],
    // A command, not a module anyone reads or imports: minified (names kept, so a stack trace still
    // names its functions), it keeps an SDK-only install under its 5 MB budget with room to grow.
    minify: true,
    keepNames: true,
  },
]);
