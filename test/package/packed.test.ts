import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
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
/** A project outside the repo with the tarball `npm install`ed, and zod (the reference server's peer). */
let blank = '';
/** What the blank project held before zod: the SDK-only install. */
let sdkOnly = { bytes: 0, packages: [] as string[], validate: '', cli: '' };

/** Bytes of every file under `dir` (apparent sizes, as `du -sb` counts them). */
async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}
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

async function exec(file: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    return await run(file, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 1 << 26 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${stdout}\n${stderr}`);
  }
}

/** Runs a command; its standard output. */
const sh = async (file: string, args: string[], cwd: string) => (await exec(file, args, cwd)).stdout;

/** Runs a command with more environment variables; its output and errors together (jest reports on stderr). */
async function shEnv(
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<string> {
  const { stdout, stderr } = await exec(file, args, cwd, env);
  return `${stdout}${stderr}`;
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
  // A blank project outside the repo, installed from the tarball as a user would (`npm install <tarball>`,
  // without optional peers; the registry only for metadata, tarballs from npm's cache when it has them).
  blank = await mkdtemp(join(tmpdir(), 'ledgerline-blank-'));
  await writeFile(join(blank, 'package.json'), '{ "name": "blank", "version": "1.0.0", "private": true }');
  await sh('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], blank);
  // The SDK-only install, as `npm install ledgerline` leaves it, before the reference server's peer.
  sdkOnly = {
    bytes: await bytesUnder(join(blank, 'node_modules')),
    packages: (await readdir(join(blank, 'node_modules'))).filter((name) => !name.startsWith('.')).sort(),
    validate: await exec(process.execPath, ['-e', "require('ledgerline/validate')"], blank).then(
      () => 'loaded',
      (error: Error) => error.message,
    ),
    cli: await sh(process.execPath, [join(blank, 'node_modules/ledgerline/dist/cli.js'), '--help'], blank),
  };
  // The reference server and ledgerline/validate need the zod peer: installed as the README says.
  await sh(
    'npm',
    [
      'install',
      '--save-dev',
      `zod@${manifest.peerDependencies.zod}`,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ],
    blank,
  );
  // "Installing" offline: the tarball unpacked where Node looks for `ledgerline`.
  await mkdir(join(consumer, 'node_modules/ledgerline'), { recursive: true });
  await sh(
    'tar',
    ['-xzf', tarball, '-C', join(consumer, 'node_modules/ledgerline'), '--strip-components=1'],
    work,
  );
}, 420_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  if (blank) await rm(blank, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('passes publint', { timeout: 60_000 }, async () => {
    expect(await sh(bin('publint'), [tarball, '--strict'], work)).toContain('All good');
  });

  it('has types that resolve for every entry under node10, node16 and bundler (arethetypeswrong)', {
    timeout: 240_000,
  }, async () => {
    // Every resolution mode attw knows: node10 reads typesVersions, node16 and bundler read exports.
    const report = await sh(bin('attw'), [tarball, '--format', 'json'], work);
    const { problems } = JSON.parse(report.slice(report.indexOf('{'))) as { problems?: object };
    expect(Object.values(problems ?? {}).flat()).toEqual([]);
  });

  it.each([
    ['node10', { module: 'commonjs', moduleResolution: 'node10' }, ['app.ts']],
    ['node16', { module: 'node16', moduleResolution: 'node16' }, ['app.cts', 'app.mts']],
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, ['app.cts', 'app.mts']],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['app.ts']],
  ])(
    'type-checks an app importing every entry with moduleResolution %s (tsc)',
    {
      timeout: 120_000,
    },
    async (mode, options, names) => {
      const dir = join(blank, `tsc-${mode}`);
      await mkdir(dir, { recursive: true });
      const app = `
      import { createClient, type LedgerlineError } from 'ledgerline';
      import { createMockFetch, type MockFetch } from 'ledgerline/mock';
      import { createHandlers } from 'ledgerline/mock/browser';
      import { requestMatchers } from 'ledgerline/mock/matchers';
      import { validateResponse } from 'ledgerline/validate';
      const mock: MockFetch = createMockFetch();
      const client = createClient({ fetch: mock.fetch, credentials: { reseller: { apiKey: 'rs_demo' } } });
      export async function sell(): Promise<number> {
        const done = await client.reseller.transfer({ to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
        return done.new_from_balance;
      }
      export const used = [createHandlers, requestMatchers, validateResponse];
      export type Failure = LedgerlineError;
    `;
      for (const name of names) await writeFile(join(dir, name), app);
      const config = {
        compilerOptions: {
          ...options,
          target: 'es2022',
          lib: ['es2022', 'dom'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        },
        files: names,
      };
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(config));
      // tsc prints nothing and exits 0 when every import resolves to its declarations.
      expect(
        await sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], dir),
      ).toBe('');
    },
  );

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
    // msw (and its graphql), pg and zod are optional peers: installed by the documented lines for the
    // reference server, never by `npm install ledgerline`; jose is bundled into the server's files.
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['openapi-fetch']);
    for (const peer of ['msw', 'pg', 'zod']) expect(manifest.peerDependenciesMeta[peer]?.optional).toBe(true);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['msw', 'pg', 'zod']);
    for (const entry of ['index.js', 'index.cjs']) {
      const code = await readFile(join(consumer, 'node_modules/ledgerline/dist', entry), 'utf8');
      const imported = [...code.matchAll(/(?:from |require\()["']([^"'.][^"']*)["']/g)].map((m) => m[1]);
      expect(new Set(imported)).toEqual(new Set(['openapi-fetch']));
    }
  });

  it('installs the SDK alone in under 5 MB: no source maps, no zod', async () => {
    expect(sdkOnly.packages).toEqual(['ledgerline', 'openapi-fetch', 'openapi-typescript-helpers']);
    expect(sdkOnly.bytes).toBeLessThan(5_000_000);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    // ledgerline/validate without its peer: the error names the package to install.
    expect(sdkOnly.validate).toMatch(/Cannot find (module|package) 'zod'/);
    // The command carries its own zod: it runs with the SDK's install alone.
    expect(sdkOnly.cli).toContain('Usage: ledgerline-mock');
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

  it('runs the documented jest recipes with jest, in CommonJS without require(esm) and as ES modules', {
    timeout: 120_000,
  }, async () => {
    const guide = await readFile(join(root, 'docs/reference-server.md'), 'utf8');
    const section = guide.slice(guide.indexOf('### Jest'), guide.indexOf('## In tests with MSW'));
    const [cjs, esm] = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(cjs).toContain("require('ledgerline/mock')");
    expect(esm).toContain("from 'ledgerline/mock'");
    // ledgerline's own CommonJS files require nothing ESM-only (jose is bundled in, msw loaded on use).
    const mockCjs = await readFile(join(blank, 'node_modules/ledgerline/dist/mock.cjs'), 'utf8');
    expect(mockCjs).not.toMatch(/require\(["'](jose|msw)["']\)/);
    await mkdir(join(blank, 'cjs'), { recursive: true });
    await writeFile(join(blank, 'cjs/recipe.test.js'), cjs ?? '');
    await mkdir(join(blank, 'esm'), { recursive: true });
    await writeFile(join(blank, 'esm/package.json'), '{ "type": "module" }');
    await writeFile(join(blank, 'esm/recipe.test.js'), esm ?? '');
    const jest = (dir: string, nodeOptions: string) =>
      shEnv(process.execPath, [bin('jest'), '--ci', '--rootDir', dir], blank, { NODE_OPTIONS: nodeOptions });
    // Node 20 before 20.19 has no require(esm): turning it off reproduces that on any Node 20.
    const commonJs = await jest(join(blank, 'cjs'), '--no-experimental-require-module');
    expect(commonJs).toMatch(/PASS \S*recipe\.test\.js[\s\S]*1 passed, 1 total/);
    const modules = await jest(
      join(blank, 'esm'),
      '--experimental-vm-modules --no-experimental-require-module',
    );
    expect(modules).toMatch(/PASS \S*recipe\.test\.js[\s\S]*1 passed, 1 total/);
  });

  it('requires every CommonJS entry point without require(esm)', { timeout: 60_000 }, async () => {
    const entries = Object.entries(manifest.exports)
      .filter(([, target]) => typeof target === 'object' && target !== null && 'require' in target)
      .map(([path]) => path.replace(/^\./, 'ledgerline'));
    expect(entries).toEqual(
      expect.arrayContaining([
        'ledgerline',
        'ledgerline/mock',
        'ledgerline/mock/browser',
        'ledgerline/validate',
      ]),
    );
    for (const entry of entries) {
      const code = `const m = require('${entry}'); console.log(Object.keys(m).length)`;
      const out = await sh(process.execPath, ['--no-experimental-require-module', '-e', code], blank);
      expect(Number(out.trim()), entry).toBeGreaterThan(0);
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
        `const m = ${load}; m.createHandlers().then((h) => console.log(typeof m.createHandlers, typeof m.createMockServer, h.handlers.length))`,
        esm,
      );
      expect(out.trim()).toBe('function undefined 5');
    }
  });
});
