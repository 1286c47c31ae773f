#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pkg from '../package.json' with { type: 'json' };
import { DEFAULT_KEYS_PER_SCOPE, DEFAULT_KEYS_TOTAL } from './ledger/idempotency.js';
import { loadSeed, SeedIssues } from './seed.js';
import { startupBanner } from './server/banner.js';
import { CLI_OPTIONS, optionsFromEnvironment } from './server/cli-env.js';
import { createMockServer, type RequestLogEntry } from './server/node-server.js';
import { PostgresStore } from './store/postgres-store.js';
import { StoreOpenError } from './store/types.js';

const HELP = `ledgerline-mock ${pkg.version}: the ledgerline reference server (white-label, reseller, credit-send, billing)

Usage: ledgerline-mock [options]

  --port <n>            port to listen on (default 4010; 0 picks a free one)
  --host <addr>         address to bind (default 127.0.0.1)
  --seed <file>         seed JSON file (default: the demo seed, mock/seeds/demo.json)
  --state-file <file>   keep the state durable in this file and <file>.log: every answered change
                        is on disk before its answer leaves (the folder must exist)
  --store <url>         keep the state in PostgreSQL (postgres://user@host:5432/db?schema=name): any
                        number of servers on one database serve one ledger (not with --state-file)
  --admin-token <t>     require header x-mock-admin-token: <t> on every /_mock call
  --latency <ms>        add this latency to every family request
  --shutdown-timeout <s>  on SIGINT/SIGTERM, wait this long for in-flight requests, then close
                        their connections and save (default 10)
  --no-cors             no CORS headers and preflight answers (on by default, as Prism does)
  --request-journal <n> requests kept for GET /_mock/requests (default 10000; 0 turns recording off)
  --max-keys-per-credential <n>  unexpired Idempotency-Keys one credential may hold (default 500000;
                        a new key beyond is 429)
  --max-keys <n>        unexpired Idempotency-Keys of all credentials together (default 1000000)
  --request-journal-mb <n>  memory bound of each request journal (the server's, each sandbox's),
                        in MiB (default 16)
  --max-sandboxes <n>   sandboxes that may exist at once (default 100)
  --sandbox-idle-seconds <s>  end a sandbox unused for this long (default 1800)
  --sandbox-creation <who>  with --admin-token, who may POST /_mock/sandboxes: admin (default) or
                        open (anyone; each gets its sandbox's token, which reaches that sandbox only)
  --log <level>         silent | error (failures only, no banner) | info (default: banner and
                        one line per request) | debug (also the options, request ids and error bodies)
  --version             print the version

Each option can also come from the environment (a flag on the command line wins), as in containers:
  LEDGERLINE_MOCK_PORT, _HOST, _SEED, _STATE_FILE, _STORE, _ADMIN_TOKEN, _LATENCY_MS,
  _SHUTDOWN_TIMEOUT_SECONDS, _NO_CORS (true/false), _REQUEST_JOURNAL, _REQUEST_JOURNAL_MB, _MAX_SANDBOXES,
  _MAX_KEYS, _MAX_KEYS_PER_CREDENTIAL, _SANDBOX_IDLE_SECONDS, _SANDBOX_CREATION, _LOG
  --help                show this help

Examples:
  ledgerline-mock                                  # demo seed on http://127.0.0.1:4010
  ledgerline-mock --port 0 --seed qa-seed.json     # your seed on a free port (printed on start)
  ledgerline-mock --state-file .state/ledger.json --log debug
  ledgerline-mock --port 4010 --log error &        # in CI: quiet until something fails

Seed format: the Seed schema of openapi.yaml (in this package) and docs/reference-server.md
("Seeds"); mock/seeds/demo.json is a complete example. Unknown keys are refused.
Control API (docs/reference-server.md, "The control API"):
  POST /_mock/reset (none or {}: the --seed seed; {"seed": {...}}; {"seed": "demo"})  GET /_mock/state
  GET /_mock/journal?family&account&limit&cursor     POST /_mock/faults, GET, DELETE, DELETE /{id}
  GET /_mock/requests, DELETE   GET /_mock/invariants (409 when broken)   GET /_mock/ui (page)
  POST /_mock/sandboxes {seed?, label?}, GET, GET /{id}, DELETE /{id}    GET /_mock/clock
  POST /_mock/clock {"now": "2025-06-30T23:00:00Z"} | {"advanceSeconds": 86400} | {"now": null}

Ctrl-C stops after in-flight requests and saves the state file; a second Ctrl-C exits at once.
`;

const LEVELS = ['silent', 'error', 'info', 'debug'] as const;
type Level = (typeof LEVELS)[number];
const DEMO_SOURCE = 'mock/seeds/demo.json';
/** Longest error body `--log debug` prints per request. */
const MAX_LOGGED_BODY_CHARS = 500;

function fail(message: string, code = 2): never {
  process.stderr.write(
    `ledgerline-mock: ${message}\n${code === 2 ? 'Run ledgerline-mock --help for the options.\n' : ''}`,
  );
  process.exit(code);
}

/** Plain decimal digits only: `1e3`, `0x10`, ` 80` or `80.0` are refused, not read as some number. */
function integer(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value > max)
    fail(`--${name} must be a whole number from 0 to ${max} written in digits (got "${text}").`);
  return value;
}

/** Reads and checks the seed file, saying which file and what to fix in it. */
async function readSeed(file: string): Promise<Readonly<Record<string, unknown>>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    fail(`cannot read the seed file ${file}: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
  try {
    return loadSeed(parsed);
  } catch (error) {
    if (!(error instanceof SeedIssues)) throw error;
    const lines = error.issues.map((i) => `  ${i.path === '' ? i.message : `${i.path} ${i.message}`}`);
    fail(`the seed file ${file} is not a valid seed:\n${lines.join('\n')}`, 1);
  }
}

function requestLogger(level: Level): ((entry: RequestLogEntry) => void) | undefined {
  if (level === 'silent') return undefined;
  return (entry) => {
    const failed = entry.status === 'dropped' || entry.status >= 500;
    if (level === 'error' && !failed) return;
    const replay = entry.replayed ? ' replayed' : '';
    let line = `${entry.method} ${entry.path} ${entry.status} ${entry.durationMs.toFixed(1)}ms${replay}`;
    if (level === 'debug') {
      if (entry.requestId) line += ` ${entry.requestId}`;
      if (entry.status !== 'dropped' && entry.status >= 400 && entry.responseText)
        line += `\n  ${entry.responseText.slice(0, MAX_LOGGED_BODY_CHARS)}`;
    }
    (failed ? process.stderr : process.stdout).write(`${line}\n`);
  };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  let values: typeof parsed.values;
  try {
    values = {
      ...optionsFromEnvironment(process.env, new Set(Object.keys(parsed.values))),
      ...parsed.values,
    };
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return void process.stdout.write(HELP);
  if (values.version) return void process.stdout.write(`ledgerline-mock ${pkg.version}\n`);
  if (values['admin-token'] === '')
    fail(
      '--admin-token must not be empty: an empty token would leave /_mock open. Omit the option for no token.',
    );
  const level = (values.log ?? 'info') as Level;
  if (!LEVELS.includes(level)) fail(`--log must be one of ${LEVELS.join(', ')} (got "${values.log}").`);
  const port = integer('port', values.port, 4010, 65535);
  const host = values.host ?? '127.0.0.1';
  const seed = values.seed ? await readSeed(values.seed) : loadSeed(undefined);
  const latencyMs = integer('latency', values.latency, 0, 120_000);
  const requestJournalSize = integer('request-journal', values['request-journal'], 10_000, 1_000_000);
  const journalMiB = integer('request-journal-mb', values['request-journal-mb'], 16, 4096);
  if (journalMiB < 1)
    fail(`--request-journal-mb must be at least 1 (got "${values['request-journal-mb']}").`);
  const maxSandboxes = integer('max-sandboxes', values['max-sandboxes'], 100, 10_000);
  const maxRecords = integer('max-keys', values['max-keys'], DEFAULT_KEYS_TOTAL, 100_000_000);
  const maxRecordsPerScope = integer(
    'max-keys-per-credential',
    values['max-keys-per-credential'],
    DEFAULT_KEYS_PER_SCOPE,
    100_000_000,
  );
  if (maxRecords < 1 || maxRecordsPerScope < 1)
    fail('--max-keys and --max-keys-per-credential must be at least 1 (send no key to skip idempotency).');
  const idleSeconds = integer('sandbox-idle-seconds', values['sandbox-idle-seconds'], 1800, 604_800);
  if (idleSeconds < 1)
    fail(`--sandbox-idle-seconds must be at least 1 (got "${values['sandbox-idle-seconds']}").`);
  const creation = values['sandbox-creation'] ?? 'admin';
  if (creation !== 'admin' && creation !== 'open')
    fail(`--sandbox-creation must be admin or open (got "${creation}").`);
  const onRequest = requestLogger(level);
  let server: Awaited<ReturnType<typeof createMockServer>>;
  try {
    server = await createMockServer({
      port,
      host,
      seed,
      ...(values['state-file'] ? { stateFile: values['state-file'] } : {}),
      ...(values.store ? { store: postgresStore(values.store, values['state-file']) } : {}),
      ...(values['admin-token'] ? { adminToken: values['admin-token'] } : {}),
      shutdownTimeoutMs: integer('shutdown-timeout', values['shutdown-timeout'], 10, 3600) * 1000,
      cors: values['no-cors'] !== true,
      latencyMs,
      requestJournalSize,
      requestJournalBytes: journalMiB * 1024 * 1024,
      sandboxes: { maxSandboxes, idleMs: idleSeconds * 1000, creation },
      idempotency: { maxRecords, maxRecordsPerScope },
      ...(onRequest ? { onRequest } : {}),
    });
  } catch (error) {
    // A state that cannot be used is a wrong option (exit 2), like a bad flag.
    if (error instanceof StoreOpenError) fail(error.message);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      fail(
        `port ${port} on ${host} is already in use (another ledgerline-mock?). Stop that process, ` +
          'choose another port with --port <n>, or use --port 0 to pick a free one.',
        1,
      );
    // A store that cannot be opened is set-up to fix (the URL, the database): status 2, as for bad options.
    fail(error instanceof Error ? error.message : String(error), error instanceof StoreOpenError ? 2 : 1);
  }
  const source = values.seed ?? DEMO_SOURCE;
  if (level === 'info' || level === 'debug')
    process.stdout.write(startupBanner(server.url, seed, source, shownAdminToken(parsed.values, values)));
  if (level === 'debug')
    process.stdout.write(
      `Options: seed ${source}; state file ${values['state-file'] ?? 'none'}; admin token ${values['admin-token'] ? 'required' : 'none'}; latency ${latencyMs} ms; ledgerline ${pkg.version}, Node ${process.version}\n\n`,
    );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second signal: the user does not want to wait for in-flight requests or the state file.
      process.stderr.write(`\n${signal} again: exiting now, without waiting.\n`);
      process.exit(130);
    }
    stopping = true;
    if (level === 'info' || level === 'debug')
      process.stdout.write(
        `\n${signal}: finishing in-flight requests and saving state (Ctrl-C again to exit now)...\n`,
      );
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`ledgerline-mock: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * The admin token as the banner's curls show it: typed on the command line, the token itself; from
 * the environment, a reference to the variable, so container and CI logs never hold it.
 */
function shownAdminToken(
  flags: { 'admin-token'?: string },
  values: { 'admin-token'?: string },
): string | undefined {
  if (flags['admin-token'] !== undefined) return flags['admin-token'];
  return values['admin-token'] === undefined ? undefined : '$LEDGERLINE_MOCK_ADMIN_TOKEN';
}

/** The `--store` URL's store; a bad URL or a second place for the state exits 2 with what to fix. */
function postgresStore(url: string, stateFile: string | undefined): PostgresStore {
  if (stateFile !== undefined) fail('--store and --state-file both say where the state lives; pass one.');
  try {
    return new PostgresStore(url);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

function parse() {
  return parseArgs({ options: CLI_OPTIONS, strict: true, allowPositionals: false });
}

await main();
