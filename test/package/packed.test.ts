import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
// One folder per run: node_modules may be shared by several checkouts running this test at once.
const work = join(root, `node_modules/.cache/ledgerline-packed-${process.pid}`);
const pkgDir = join(work, 'package-src');
const consumer = join(work, 'consumer');
const run = promisify(execFile);
const bin = (name: string) => join(root, 'node_modules/.bin', name);

let tarball = '';
/** The fields of package.json the tests read. */
let manifest: {
  bin: { 'ledgerline-mock': string };
  exports: Record<string, unknown>;
  license: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};
let files: string[] = [];

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
  for (const file of ['package.json', 'README.md', 'LICENSE', 'openapi.yaml'])
    await cp(join(root, file), join(pkgDir, file));
  for (const folder of ['mock/seeds', 'docs', 'examples/browser'])
    await cp(join(root, folder), join(pkgDir, folder), { recursive: true });
  await sh(bin('tsup'), ['--out-dir', join(pkgDir, 'dist'), '--silent'], root);
  const packed = await sh('npm', ['pack', '--json', '--pack-destination', work], pkgDir);
  const [{ filename }] = JSON.parse(packed.slice(packed.indexOf('['))) as [{ filename: string }];
  tarball = join(work, filename);
  files = (await sh('tar', ['-tzf', tarball], work)).split('\n').filter(Boolean);
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

  it('pulls in no reference-server dependency with the SDK alone', async () => {
    // msw (and its graphql), pg are optional peers: installed by the documented line for the
    // reference server, never by `npm install ledgerline`; jose is bundled into the server's files.
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['openapi-fetch', 'zod']);
    for (const peer of ['msw', 'pg']) expect(manifest.peerDependenciesMeta[peer]?.optional).toBe(true);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['msw', 'pg']);
    for (const entry of ['index.js', 'index.cjs']) {
      const code = await readFile(join(consumer, 'node_modules/ledgerline/dist', entry), 'utf8');
      const imported = [...code.matchAll(/(?:from |require\()["']([^"'.][^"']*)["']/g)].map((m) => m[1]);
      expect(new Set(imported)).toEqual(new Set(['openapi-fetch']));
    }
  });

  it('has a LICENSE matching package.json, and README links that resolve in the package', async () => {
    expect(manifest.license).toBe('MIT');
    expect(files).toContain('package/LICENSE');
    expect(await readFile(join(consumer, 'node_modules/ledgerline/LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const readme = await readFile(join(consumer, 'node_modules/ledgerline/README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((\.\/[^)#\s]+)/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(files, link).toContain(`package/${link.slice(2)}`);
  });

  it('runs the documented jest recipe in CommonJS without require(esm)', { timeout: 60_000 }, async () => {
    // jest is not a dependency: the recipe of docs/reference-server.md runs under a few lines of
    // jest's globals, with Node's require(esm) turned off, as jest on Node 20 loads it.
    const guide = await readFile(join(root, 'docs/reference-server.md'), 'utf8');
    const recipe = /Jest runs the same file[\s\S]*?```js\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(recipe).toContain("require('ledgerline/mock')");
    const jestGlobals = `
      const hooks = { beforeAll: [], afterEach: [], afterAll: [] }, tests = [];
      for (const name of Object.keys(hooks)) globalThis[name] = (fn) => hooks[name].push(fn);
      globalThis.test = (name, fn) => tests.push([name, fn]);
      globalThis.expect = (actual) => ({ toBe: (expected) => require('node:assert').strictEqual(actual, expected) });
      process.nextTick(async () => {
        for (const fn of hooks.beforeAll) await fn();
        for (const [name, fn] of tests) { await fn(); for (const after of hooks.afterEach) await after(); console.log('passed: ' + name); }
        for (const fn of hooks.afterAll) await fn();
      });
    `;
    const cjs = (code: string) =>
      sh(process.execPath, ['--no-experimental-require-module', '-e', code], consumer);
    // ledgerline's own CommonJS files require nothing ESM-only (jose is bundled in).
    const mockCjs = await readFile(join(consumer, 'node_modules/ledgerline/dist/mock.cjs'), 'utf8');
    expect(mockCjs).not.toMatch(/require\(["']jose["']\)/);
    const mswLoads = await cjs("require('msw'); require('msw/node')").then(
      () => true,
      () => false,
    );
    if (mswLoads) {
      expect(await cjs(`${jestGlobals}\n${recipe}`)).toContain('passed: a transfer moves minutes');
    } else {
      // msw 2.15's own CommonJS build requires the ESM-only `rettime`: without require(esm) the
      // failure must come from inside msw, never from ledgerline's files.
      const failure = await cjs(`${jestGlobals}\n${recipe}`).then(
        () => '',
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/ERR_REQUIRE_ESM[\s\S]*node_modules\/msw\//);
      expect(failure).not.toMatch(/require\(\) of ES Module \S*(jose|ledgerline)/);
    }
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

  it('serves without pg installed and loads pg only for a PostgreSQL store', {
    timeout: 60_000,
  }, async () => {
    // An app outside the repo (so `pg` cannot be found by walking up), with the package and its other
    // peers installed: pg is an optional peer, so an in-memory server must run without it, and a
    // PostgreSQL store must say how to install it.
    const bare = await mkdtemp(join(tmpdir(), 'ledgerline-no-pg-'));
    try {
      await mkdir(join(bare, 'node_modules'));
      // Copied, not linked: Node resolves a linked package's imports from its real path, in this repo.
      await cp(join(consumer, 'node_modules/ledgerline'), join(bare, 'node_modules/ledgerline'), {
        recursive: true,
      });
      for (const peer of ['msw', 'zod', 'openapi-fetch'])
        await symlink(join(root, 'node_modules', peer), join(bare, 'node_modules', peer));
      const code = `
        const { createMockServer, PostgresStore } = await import('ledgerline/mock');
        const server = await createMockServer({ port: 0 });
        const plans = await fetch(server.url + '/api/v1/billing/plans', { headers: { authorization: 'Bearer flowyte_sk_test_demo' } });
        await server.close();
        // Port 1: were pg found after all, this fails at once with another message (and holds nothing).
        const refused = await new PostgresStore('postgres://nobody@127.0.0.1:1/none').open().then(() => 'opened', (e) => e.message);
        console.log(JSON.stringify({ status: plans.status, refused }));
        process.exit(0);`;
      const out = await sh(process.execPath, ['--input-type=module', '-e', code], bare);
      const { status, refused } = JSON.parse(out) as { status: number; refused: string };
      expect(status).toBe(200);
      expect(refused).toMatch(/needs the pg package[\s\S]*npm install pg/);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
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
