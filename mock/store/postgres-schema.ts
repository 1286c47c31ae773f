import type pg from 'pg';
import type { ClientConfig } from 'pg';
import { StoreOpenError } from './types.js';

/** Where a deployment's tables live: the connection and the schema (one per deployment). */
export interface PostgresTarget {
  readonly config: ClientConfig;
  /** The schema holding the `ledgerline_*` tables (`public` unless the URL says `?schema=`). */
  readonly schema: string;
  /** `postgres://user@host:port/db (schema s)` without the password, for log lines and errors. */
  readonly location: string;
}

/** A schema name we create and quote ourselves: letters, digits and `_`, at most 63 bytes (PostgreSQL's limit). */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** A replica that stops mid-transaction (SIGSTOP, a frozen VM) must not hold the log's lock for ever. */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;
/** How long start-up waits for PostgreSQL to accept a connection before saying it is unreachable. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** A statement that gets no answer in this long counts as a lost database (fail closed, then retry). */
export const QUERY_TIMEOUT_MS = 30_000;

/**
 * Reads `postgres://user:password@host:port/database?schema=name` (also `postgresql://`). `schema`
 * is ours and removed before the URL reaches `pg`; every other parameter (`sslmode`, ...) is passed on.
 * @throws StoreOpenError for a URL that is not a PostgreSQL URL or names an unusable schema.
 */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreOpenError(
      `--store ${JSON.stringify(url)} is not a URL; use postgres://user@host:5432/database.`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new StoreOpenError(
      `--store ${JSON.stringify(url)} is not a PostgreSQL URL; use postgres://user@host:5432/database.`,
    );
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema))
    throw new StoreOpenError(
      `schema ${JSON.stringify(schema)} in --store is not a plain name; use letters, digits and _ (at most 63).`,
    );
  parsed.searchParams.delete('schema');
  const database = decodeURIComponent(parsed.pathname.slice(1)) || '(the user name)';
  const user = decodeURIComponent(parsed.username) || '(the login name)';
  return {
    config: {
      connectionString: parsed.toString(),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      keepAlive: true,
      // Names the deployment in pg_stat_activity (an operator, or a test, can find its connections).
      application_name: `ledgerline-mock:${schema}`.slice(0, 63),
    },
    schema,
    location: `postgres://${user}@${parsed.host}/${database} (schema ${schema})`,
  };
}

/** The three tables of a deployment, quoted and schema-qualified. */
export interface Tables {
  readonly migrations: string;
  readonly operations: string;
  readonly snapshots: string;
}

/** `schema` is a plain name (SCHEMA_NAME: no quote can occur in it), so double quotes make it exact. */
function quoteSchema(schema: string): string {
  return `"${schema}"`;
}

export function tablesOf(schema: string): Tables {
  const quoted = quoteSchema(schema);
  return {
    migrations: `${quoted}.ledgerline_migrations`,
    operations: `${quoted}.ledgerline_operations`,
    snapshots: `${quoted}.ledgerline_snapshots`,
  };
}

/**
 * The schema's versions, applied in order, each in its own transaction and recorded in
 * `ledgerline_migrations`. Append new versions; never edit an applied one.
 */
export function migrations(tables: Tables): readonly { version: number; sql: string }[] {
  return [
    {
      version: 1,
      sql: `
        CREATE TABLE ${tables.operations} (
          seq bigint PRIMARY KEY CHECK (seq > 0),
          world text NOT NULL,
          record text NOT NULL,
          committed_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE ${tables.snapshots} (
          seq bigint PRIMARY KEY CHECK (seq >= 0),
          taken_at_ms bigint NOT NULL,
          snapshot text NOT NULL
        );`,
    },
  ];
}

/**
 * 32-bit FNV-1a of the schema name: the second half of every advisory lock key, so deployments in
 * different schemas of one database never wait for each other's locks.
 */
export function schemaLockKey(schema: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(schema, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash | 0;
}

/** First halves of the advisory lock keys ("LL" + a letter, so they are unlikely to meet an app's own). */
export const LOCK_CLASS = {
  /** Held (transaction-scoped) while a replica appends to the log: the one total order. */
  log: 0x4c4c_4c00,
  /** Held (session-scoped) while a replica creates or migrates the tables. */
  migrate: 0x4c4c_4d00,
  /** Held (session-scoped) by the first replica of an empty store until its seed snapshot is written. */
  seed: 0x4c4c_5300,
} as const;

/**
 * Creates the schema and tables or brings them up to date, under the migration lock (replicas
 * starting together wait for one another).
 * @throws StoreOpenError when the tables were made by a newer ledgerline.
 */
export async function migrate(client: pg.Client, schema: string, location: string): Promise<void> {
  const tables = tablesOf(schema);
  const key = schemaLockKey(schema);
  await client.query(`SELECT pg_advisory_lock(${LOCK_CLASS.migrate}, ${key})`);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteSchema(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${tables.migrations} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const result = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${tables.migrations}`,
    );
    const current = result.rows[0]?.version ?? 0;
    const known = migrations(tables);
    const newest = known[known.length - 1]?.version ?? 0;
    if (current > newest)
      throw new StoreOpenError(
        `${location} was migrated to schema version ${current} by a newer ledgerline (this one knows ${newest}); upgrade ledgerline-mock or use another schema.`,
      );
    for (const step of known) {
      if (step.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await client.query(`INSERT INTO ${tables.migrations} (version) VALUES ($1)`, [step.version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${LOCK_CLASS.migrate}, ${key})`).catch(() => undefined);
  }
}
