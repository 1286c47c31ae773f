/**
 * Bundle benchmark: the SDK as a consumer's bundler ships it. esbuild bundles, minifies (ESM) and
 * gzips (level 9): the `ledgerline` entry (src/index.ts) with openapi-fetch external as it is a
 * dependency (and, for context, with openapi-fetch bundled in), and an app that imports only what
 * `whiteLabel.transfer` needs. Budget (DESIGN.md): entry <= 12 kB minified, <= 5 kB gzip.
 *
 * Run alone: `node --import tsx test/bench/run.ts bundle`.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type Log, printBudgets, printTable } from './support/report.js';
import { ROOT } from './support/targets.js';

export const BUNDLE_BUDGETS = { minBytes: 12_000, gzipBytes: 5_000 };

export interface BundleBenchResult {
  readonly bench: 'bundle';
  readonly minBytes: number;
  readonly gzipBytes: number;
  readonly singleFamilyMinBytes: number;
}

/** A consumer that uses one family's one method: what tree shaking can leave out, it does. */
const SINGLE_FAMILY_APP = `
import { createClient } from './src/index.ts';
const client = createClient({ credentials: { whiteLabel: { apiKey: 'wl_admin_demo' } } });
export const transfer = (body) => client.whiteLabel.transfer(body);
`;

async function measure(input: { entry: string } | { contents: string }, bundleOpenapiFetch = false) {
  const result = await build({
    absWorkingDir: ROOT,
    ...('entry' in input
      ? { entryPoints: [input.entry] }
      : { stdin: { contents: input.contents, resolveDir: ROOT, loader: 'ts' as const } }),
    bundle: true,
    minify: true,
    format: 'esm',
    external: bundleOpenapiFetch ? [] : ['openapi-fetch'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

export async function runBundleBench(log: Log = console.log): Promise<BundleBenchResult> {
  log('bundle bench: esbuild --bundle --minify --format=esm, gzip -9');
  const entry = await measure({ entry: 'src/index.ts' });
  const withOpenapiFetch = await measure({ entry: 'src/index.ts' }, true);
  const single = await measure({ contents: SINGLE_FAMILY_APP });
  printTable(log, [
    ['bundle', 'min bytes', 'gzip bytes'],
    ['SDK entry (src/index.ts), openapi-fetch external', entry.min, entry.gzip],
    ['SDK entry with openapi-fetch bundled (context)', withOpenapiFetch.min, withOpenapiFetch.gzip],
    ['app importing only whiteLabel.transfer', single.min, single.gzip],
  ]);
  // createClient builds every family from one operations table: one family costs about as much as four.
  log(
    `  single-family import keeps ${Math.round((100 * single.min) / entry.min)}% of the entry: the client is one table-driven factory, not per-family modules`,
  );
  printBudgets(log, [
    { name: 'SDK entry minified', value: entry.min, op: '<=', limit: BUNDLE_BUDGETS.minBytes, unit: ' B' },
    { name: 'SDK entry gzip', value: entry.gzip, op: '<=', limit: BUNDLE_BUDGETS.gzipBytes, unit: ' B' },
  ]);
  const result: BundleBenchResult = {
    bench: 'bundle',
    minBytes: entry.min,
    gzipBytes: entry.gzip,
    singleFamilyMinBytes: single.min,
  };
  log(JSON.stringify(result));
  return result;
}
