/**
 * The servers the benchmarks compare: the reference server's CLI as shipped (bundled the way tsup
 * bundles `dist/cli.js`), `prism mock` on the same openapi.yaml, and a bare `node:http` server
 * answering one constant JSON body (the machine's ceiling).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Child, startProcess } from './processes.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);

/** The transfer every server benchmark sends: balance-neutral for the load (see {@link writeBenchSeed}). */
export const TRANSFER = {
  path: '/api/white-label/transfer',
  headers: { authorization: 'Bearer wl_admin_demo', 'content-type': 'application/json' },
  body: JSON.stringify({ user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 0.01 }),
} as const;

/** A read every server answers with a 2xx once it is up (Prism: from the spec's examples). */
export const PROBE = {
  path: '/api/v1/billing/plans',
  headers: { authorization: 'Bearer flowyte_sk_test_demo' },
} as const;

/**
 * Builds `mock/cli.ts` with esbuild exactly as tsup.config.ts builds `dist/cli.js` (ESM, node20,
 * msw/zod/jose/pg external), into node_modules/.cache so `dist/` is never cleaned under other users'
 * feet; the external packages resolve from the project's node_modules.
 */
export async function buildReferenceCli(): Promise<string> {
  const outfile = join(ROOT, 'node_modules/.cache/ledgerline-bench/cli.js');
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'mock/cli.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['msw', 'zod', 'jose', 'pg'],
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * The demo seed with the first white-label admin holding a billion minutes, in a temp directory, so
 * a load test of 0.01-minute transfers never runs out of balance (every answer stays a 200).
 */
export async function writeBenchSeed(): Promise<{ file: string; remove: () => Promise<void> }> {
  const seed = JSON.parse(await readFile(join(ROOT, 'mock/seeds/demo.json'), 'utf8')) as {
    whiteLabel: { platforms: { minutes: number }[] };
  };
  const platform = seed.whiteLabel.platforms[0];
  if (platform === undefined) throw new Error('the demo seed has no white-label platform');
  platform.minutes = 1_000_000_000;
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-bench-'));
  const file = join(dir, 'seed.json');
  await writeFile(file, JSON.stringify(seed));
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** `nodeArgs` (e.g. the CPU probe's `--import`) go before the script; with them the child gets an IPC channel. */
export function startReference(
  cli: string,
  port: number,
  seedFile?: string,
  extra: string[] = [],
  nodeArgs: readonly string[] = [],
): Child {
  const seed = seedFile === undefined ? [] : ['--seed', seedFile];
  return startProcess(
    extra.length === 0 ? 'reference server' : 'reference server (durable)',
    process.execPath,
    [...nodeArgs, cli, '--port', String(port), '--log', 'silent', ...seed, ...extra],
    ROOT,
    {},
    { ipc: nodeArgs.length > 0 },
  );
}

/** The Prism CLI's script, started with node directly (what `npx prism` ends up running). */
export const PRISM_CLI = require.resolve('@stoplight/prism-cli/dist/index.js');

/** `prism mock openapi.yaml -p <port>`; per-request logging is off, as it is for the reference server. */
export function startPrism(port: number): Child {
  return startProcess(
    'prism',
    process.execPath,
    [PRISM_CLI, 'mock', 'openapi.yaml', '-p', String(port), '-h', '127.0.0.1', '-v', 'warn'],
    ROOT,
  );
}

const CEILING_SCRIPT = `
const { createServer } = require('node:http');
const body = process.env.CEILING_BODY;
createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
}).listen(Number(process.env.CEILING_PORT), '127.0.0.1');
`;

/** A bare node:http server answering `body` to every request: what node itself can do here. */
export function startCeiling(port: number, body: string, nodeArgs: readonly string[] = []): Child {
  return startProcess(
    'ceiling',
    process.execPath,
    [...nodeArgs, '-e', CEILING_SCRIPT],
    ROOT,
    { CEILING_BODY: body, CEILING_PORT: String(port) },
    { ipc: nodeArgs.length > 0 },
  );
}

// Group commit as the file store does it (mock/store/file-store.ts): the lines of the requests
// that ended in one I/O phase are written with one write and one fdatasync right after it, and
// their answers go out once that returns; the next group collects while the sync runs.
const DURABLE_CEILING_SCRIPT = `
const { createServer } = require('node:http');
const fs = require('node:fs');
const body = process.env.CEILING_BODY;
const fd = fs.openSync(process.env.CEILING_FILE, 'a');
let lines = [];
let answers = [];
let scheduled = false;
let syncing = false;
let seq = 0;
function answer(response) {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
function commit() {
  scheduled = false;
  if (answers.length === 0) return;
  syncing = true;
  const data = Buffer.from(lines.join(''));
  const group = answers;
  lines = [];
  answers = [];
  fs.write(fd, data, 0, data.length, null, (error) => {
    if (error) throw error;
    fs.fdatasync(fd, (error) => {
      if (error) throw error;
      for (const response of group) answer(response);
      syncing = false;
      if (answers.length > 0) commit();
    });
  });
}
createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    seq += 1;
    lines.push(seq + ' ' + Date.now() + ' ' + request.method + ' ' + request.url + '\\n');
    answers.push(response);
    if (!scheduled && !syncing) {
      scheduled = true;
      setImmediate(commit);
    }
  });
}).listen(Number(process.env.CEILING_PORT), '127.0.0.1');
`;

/**
 * The durable ceiling: a bare node:http server that appends a line per request to `file` and
 * answers `body` once the line is on disk (one fdatasync per group): what node and this disk can do.
 */
export function startDurableCeiling(
  port: number,
  body: string,
  file: string,
  nodeArgs: readonly string[] = [],
): Child {
  return startProcess(
    'durable ceiling',
    process.execPath,
    [...nodeArgs, '-e', DURABLE_CEILING_SCRIPT],
    ROOT,
    { CEILING_BODY: body, CEILING_PORT: String(port), CEILING_FILE: file },
    { ipc: nodeArgs.length > 0 },
  );
}
