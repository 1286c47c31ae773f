import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The package as users get it: tsup builds into a scratch copy of the package (never the repo's dist/,
 * which others may be using), `npm pack` packs it, publint and arethetypeswrong check the tarball,
 * and Node imports the unpacked tarball as ESM and as CommonJS. The scratch folder is inside
 * node_modules/.cache so the tarball's dependencies resolve from the repo's node_modules, offline.
 */

const root = resolve(import.meta.dirname, '../..');
const work = join(root, 'node_modules/.cache/ledgerline-packed');
const pkgDir = join(work, 'package-src');
const consumer = join(work, 'consumer');
const run = promisify(execFile);
const bin = (name: string) => join(root, 'node_modules/.bin', name);

let tarball = '';
/** The fields of package.json the tests read. */
let manifest: { bin: { 'ledgerline-mock': string }; exports: Record<string, unknown> };

async function sh(file: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(file, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 1 << 26,
    });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${stdout}\n${stderr}`);
  }
}

/** Runs `code` with Node in the consumer project (ESM with `--input-type=module`, else CommonJS). */
const node = (code: string, esm: boolean) =>
  sh(process.execPath, [...(esm ? ['--input-type=module'] : []), '-e', code], consumer);

beforeAll(async () => {
  await rm(work, { recursive: true, force: true });
  await mkdir(pkgDir, { recursive: true });
  manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  for (const file of ['package.json', 'README.md', 'openapi.yaml'])
    await cp(join(root, file), join(pkgDir, file));
  await cp(join(root, 'mock/seeds'), join(pkgDir, 'mock/seeds'), { recursive: true });
  await sh(bin('tsup'), ['--out-dir', join(pkgDir, 'dist'), '--silent'], root);
  const packed = await sh('npm', ['pack', '--json', '--pack-destination', work], pkgDir);
  const [{ filename }] = JSON.parse(packed.slice(packed.indexOf('['))) as [{ filename: string }];
  tarball = join(work, filename);
  // "Installing" offline: the tarball unpacked where Node looks for `ledgerline`.
  await mkdir(join(consumer, 'node_modules/ledgerline'), { recursive: true });
  await sh(
    'tar',
    ['-xzf', tarball, '-C', join(consumer, 'node_modules/ledgerline'), '--strip-components=1'],
    work,
  );
}, 180_000);

afterAll(() => rm(work, { recursive: true, force: true }));

describe('the packed package', () => {
  it('passes publint', { timeout: 60_000 }, async () => {
    expect(await sh(bin('publint'), [tarball, '--strict'], work)).toContain('All good');
  });

  it('has types that resolve for node16 (ESM and CommonJS) and bundlers (arethetypeswrong)', {
    timeout: 60_000,
  }, async () => {
    // node10 resolution is out of scope: engines.node is >= 20, which resolves `exports`.
    await sh(bin('attw'), [tarball, '--profile', 'node16'], work);
  });

  it('ships what it needs and nothing of the sources or tests', async () => {
    const files = (await sh('tar', ['-tzf', tarball], work)).split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/dist/index.js',
        'package/dist/index.cjs',
        'package/dist/mock.js',
        'package/dist/validate.cjs',
        'package/dist/cli.js',
        'package/openapi.yaml',
        'package/mock/seeds/demo.json',
      ]),
    );
    expect(files.filter((file) => /^package\/(src|test|generated)\//.test(file))).toEqual([]);
  });

  const smoke = (load: (specifier: string) => string) => `
    const { createClient, InsufficientBalanceError, LedgerlineError } = ${load('ledgerline')};
    const { createMockServer } = ${load('ledgerline/mock')};
    const { validateResponse, ResponseValidationError } = ${load('ledgerline/validate')};
    (async () => {
      const server = await createMockServer({ port: 0 });
      try {
        const client = createClient({ baseUrl: server.url, credentials: { reseller: { apiKey: 'rs_demo' } } });
        const done = await client.reseller.transfer({ to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
        const refused = await client.reseller
          .transfer({ to_organization_id: 4002, minutes: 100000, cost_per_min: 0.2 })
          .catch((e) => e);
        let invalid;
        try { validateResponse('getWallet', 200, { success: true, data: {} }); } catch (e) { invalid = e; }
        console.log(JSON.stringify({
          balances: [done.new_from_balance, done.new_to_balance],
          refused: refused instanceof InsufficientBalanceError && refused instanceof LedgerlineError,
          invalid: invalid instanceof ResponseValidationError,
        }));
      } finally {
        await server.close();
      }
    })();`;
  const expected = { balances: [59.813, 14], refused: true, invalid: true };

  it('works when imported as ESM', { timeout: 60_000 }, async () => {
    const out = await node(
      smoke((s) => `await import('${s}')`).replace('(async () => {', 'await (async () => {'),
      true,
    );
    expect(JSON.parse(out)).toEqual(expected);
  });

  it('works when required as CommonJS', { timeout: 60_000 }, async () => {
    const out = await node(
      smoke((s) => `require('${s}')`),
      false,
    );
    expect(JSON.parse(out)).toEqual(expected);
  });

  it('runs the ledgerline-mock command', { timeout: 60_000 }, async () => {
    const cli = join(consumer, 'node_modules/ledgerline', manifest.bin['ledgerline-mock']);
    expect(await sh(process.execPath, [cli, '--help'], consumer)).toContain('Usage: ledgerline-mock');
  });

  it('offers the browser-safe reference server as ledgerline/mock/browser', {
    timeout: 60_000,
  }, async () => {
    expect(manifest.exports['./mock/browser']).toBeDefined();
    for (const esm of [true, false]) {
      const load = esm ? "await import('ledgerline/mock/browser')" : "require('ledgerline/mock/browser')";
      const out = await node(
        `const m = ${load}; console.log(typeof m.createHandlers, typeof m.createMockServer, m.createHandlers().handlers.length)`,
        esm,
      );
      expect(out.trim()).toBe('function undefined 5');
    }
  });
});
