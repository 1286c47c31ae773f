#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startupBanner } from './server/banner.js';
import { createMockServer, type RequestLogEntry } from './server/node-server.js';
import { PostgresStore } from './store/postgres-store.js';

const HELP = `ledgerline-mock: the ledgerline reference server (white-label, reseller, credit-send, billing)

Usage: ledgerline-mock [options]

  --port <n>            port to listen on (default 4010; 0 picks a free one)
  --host <addr>         address to bind (default 127.0.0.1)
  --seed <file>         seed JSON file (default: the demo seed, mock/seeds/demo.json)
  --state-file <file>   keep the state in this file: loaded at start, written atomically on change
  --store <url>         keep the state in PostgreSQL (postgres://user@host:5432/db?schema=name): any
                        number of servers on one database serve one ledger (not with --state-file)
  --admin-token <t>     require header x-mock-admin-token: <t> on every /_mock call
  --latency <ms>        add this latency to every family request
  --log <level>         silent | error | info (default) | debug
  --help                show this help
`;

const LEVELS = ['silent', 'error', 'info', 'debug'] as const;
type Level = (typeof LEVELS)[number];

function fail(message: string): never {
  process.stderr.write(`ledgerline-mock: ${message}\nRun ledgerline-mock --help for the options.\n`);
  process.exit(2);
}

function integer(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max)
    fail(`--${name} must be a whole number from 0 to ${max} (got "${text}").`);
  return value;
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const level = (values.log ?? 'info') as Level;
  if (!LEVELS.includes(level)) fail(`--log must be one of ${LEVELS.join(', ')} (got "${values.log}").`);
  let seed: unknown;
  if (values.seed) {
    try {
      seed = JSON.parse(await readFile(values.seed, 'utf8'));
    } catch (error) {
      fail(
        `cannot read the seed file ${values.seed}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const log = (entry: RequestLogEntry) => {
    if (level === 'silent' || (level === 'error' && entry.status !== 'dropped' && entry.status < 500)) return;
    const replay = entry.replayed ? ' replayed' : '';
    process.stdout.write(
      `${entry.method} ${entry.path} ${entry.status} ${entry.durationMs.toFixed(1)}ms${replay}\n`,
    );
  };
  let server: Awaited<ReturnType<typeof createMockServer>>;
  try {
    server = await createMockServer({
      port: integer('port', values.port, 4010, 65535),
      host: values.host ?? '127.0.0.1',
      ...(seed === undefined ? {} : { seed }),
      ...(values['state-file'] ? { stateFile: values['state-file'] } : {}),
      ...(values.store ? { store: postgresStore(values.store, values['state-file']) } : {}),
      ...(values['admin-token'] ? { adminToken: values['admin-token'] } : {}),
      latencyMs: integer('latency', values.latency, 0, 120_000),
      ...(level === 'silent' ? {} : { onRequest: log }),
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (level !== 'silent')
    process.stdout.write(startupBanner(server.url, seed === undefined, values['admin-token']));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (level !== 'silent')
      process.stdout.write(`\n${signal}: finishing in-flight requests and saving state...\n`);
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
  return parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'state-file': { type: 'string' },
      store: { type: 'string' },
      'admin-token': { type: 'string' },
      latency: { type: 'string' },
      log: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}

await main();
