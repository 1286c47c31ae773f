/**
 * Bundle benchmark: the SDK as a consumer's bundler ships it. esbuild bundles, minifies (ESM) and
 * gzips (level 9): the `ledgerline` entry (src/index.ts, every family) with openapi-fetch external
 * as it is a dependency (and, for context, with openapi-fetch bundled in), and an app that imports
 * one family's factory only. Budgets (docs/decisions.md, "The project contract"): entry <= 8 kB gzip; the one-family app
 * <= 0.6 x the entry (minified bytes; the gzip ratio is printed beside it).
 *
 * Run alone: `node --import tsx test/bench/run.ts bundle`.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type Log, printBudgets, printTable, round2 } from './support/report.js';
import { ROOT } from './support/targets.js';

export const BUNDLE_BUDGETS = { gzipBytes: 8_192, singleFamilyVsEntry: 0.6 };

export interface BundleBenchResult {
  readonly bench: 'bundle';
  readonly minBytes: number;
  readonly gzipBytes: number;
  readonly singleFamilyMinBytes: number;
  readonly singleFamilyGzipBytes: number;
  readonly singleFamilyVsEntry: number;
}

/** A consumer that uses one family: it imports that family's factory, and tree shaking does the rest. */
const SINGLE_FAMILY_APP = `
import { createWhiteLabelClient } from './src/index.ts';
const whiteLabel = createWhiteLabelClient({ credentials: { whiteLabel: { apiKey: 'wl_admin_demo' } } });
export const transfer = (body) => whiteLabel.transfer(body);
export const listUsers = () => whiteLabel.listUsers();
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
    ['SDK entry (src/index.ts, every family), openapi-fetch external', entry.min, entry.gzip],
    ['SDK entry with openapi-fetch bundled (context)', withOpenapiFetch.min, withOpenapiFetch.gzip],
    ['app importing only createWhiteLabelClient', single.min, single.gzip],
  ]);
  const singleFamilyVsEntry = round2(single.min / entry.min);
  log(
    `  one family keeps ${singleFamilyVsEntry}x of the entry minified, ${round2(single.gzip / entry.gzip)}x gzipped: the shared runtime (options, retry, errors) is most of what is left`,
  );
  printBudgets(log, [
    { name: 'SDK entry gzip', value: entry.gzip, op: '<=', limit: BUNDLE_BUDGETS.gzipBytes, unit: ' B' },
    {
      name: 'one-family app vs entry (minified)',
      value: singleFamilyVsEntry,
      op: '<=',
      limit: BUNDLE_BUDGETS.singleFamilyVsEntry,
      unit: 'x',
    },
  ]);
  const result: BundleBenchResult = {
    bench: 'bundle',
    minBytes: entry.min,
    gzipBytes: entry.gzip,
    singleFamilyMinBytes: single.min,
    singleFamilyGzipBytes: single.gzip,
    singleFamilyVsEntry,
  };
  log(JSON.stringify(result));
  return result;
}
