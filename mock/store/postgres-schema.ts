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
  readonly timeouts: PostgresTimeouts;
}

/** A schema name we create and quote ourselves: letters, digits and `_`, at most 63 bytes (PostgreSQL's limit). */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** How long start-up waits for PostgreSQL to accept a connection before saying it is unreachable. */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The server-side timeouts of every connection, in ms (docs/reference-server.md, "Timeouts"). They
 * are ordered so that a healthy replica outlasts a paused one: a replica stopped inside a transaction
 * (SIGSTOP, a frozen VM) is cut after `idleInTransaction`, which frees its world locks, before a
 * replica waiting for one of those locks gives up (`lock`); a statement (lock waits included) is
 * cancelled by the server after `statement`, before the client stops waiting (`query`).
 */
export interface PostgresTimeouts {
  readonly idleInTransaction: number;
  readonly lock: number;
  readonly statement: number;
  readonly query: number;
}

export const DEFAULT_TIMEOUTS: PostgresTimeouts = {
  idleInTransaction: 5_000,
  lock: 10_000,
  statement: 15_000,
  query: 20_000,
};

/** The URL parameters that set {@link PostgresTimeouts} (PostgreSQL's own setting names, in ms). */
const TIMEOUT_PARAMETERS = {
  idle_in_transaction_session_timeout: 'idleInTransaction',
  lock_timeout: 'lock',
  statement_timeout: 'statement',
} as const;

/**
 * The timeouts the URL sets, the others at their defaults, the client's own wait a third longer
 * than the statement timeout. @throws StoreOpenError for a value that is not whole milliseconds, or an order
 * in which a paused replica would outlast a waiting one.
 */
function timeoutsOf(parameters: URLSearchParams, url: string): PostgresTimeouts {
  const values: { -readonly [K in keyof PostgresTimeouts]: number } = { ...DEFAULT_TIMEOUTS };
  for (const [name, key] of Object.entries(TIMEOUT_PARAMETERS)) {
    const text = parameters.get(name);
    if (text === null) continue;
    parameters.delete(name);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < 100 || value > 3_600_000)
      throw new StoreOpenError(
        `${name}=${JSON.stringify(text)} in --store ${JSON.stringify(url)} is not a number of milliseconds from 100 to 3600000.`,
      );
    values[key] = value;
  }
  if (!(values.idleInTransaction < values.lock && values.lock < values.statement))
    throw new StoreOpenError(
      `--store timeouts must grow idle_in_transaction_session_timeout < lock_timeout < statement_timeout (got ${values.idleInTransaction}, ${values.lock}, ${values.statement}), so a paused replica's locks are freed before a healthy one gives up.`,
    );
  values.query = Math.round((values.statement * 4) / 3);
  return values;
}

/**
 * Reads `postgres://user:password@host:port/database?schema=name` (also `postgresql://`). `schema`
 * and the timeouts (`lock_timeout`, `statement_timeout`, `idle_in_transaction_session_timeout`, in ms:
 * {@link PostgresTimeouts}) are ours and removed before the URL reaches `pg`; every other parameter
 * (`sslmode`, ...) is passed on.
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
  const timeouts = timeoutsOf(parsed.searchParams, url);
  const database = decodeURIComponent(parsed.pathname.slice(1)) || '(the user name)';
  const user = decodeURIComponent(parsed.username) || '(the login name)';
  return {
    config: {
      connectionString: parsed.toString(),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: timeouts.query,
      statement_timeout: timeouts.statement,
      lock_timeout: timeouts.lock,
      idle_in_transaction_session_timeout: timeouts.idleInTransaction,
      keepAlive: true,
      // Names the deployment in pg_stat_activity (an operator, or a test, can find its connections).
      application_name: `ledgerline-mock:${schema}`.slice(0, 63),
    },
    schema,
    location: `postgres://${user}@${parsed.host}/${database} (schema ${schema})`,
    timeouts,
  };
}

/** The tables of a deployment and its fencing function, quoted and schema-qualified. */
export interface Tables {
  readonly migrations: string;
  /** One row per world: its id and the last record committed to its log (`seq`, 0: none yet). */
  readonly worlds: string;
  /** The worlds' logs: one row per record, numbered 1, 2, 3... within its world. */
  readonly operations: string;
  /** Snapshots of single worlds: each world's two newest are kept. */
  readonly snapshots: string;
  /** `advance(world, expected, next)`: moves a world's `seq`, or fails (SQLSTATE {@link STALE_STATE}) when it is not at `expected`. */
  readonly advance: string;
}

/** The SQLSTATE `advance` raises: the world moved on without this replica (it acted on a stale view). */
export const STALE_STATE = 'LL001';

/** `schema` is a plain name (SCHEMA_NAME: no quote can occur in it), so double quotes make it exact. */
function quoteSchema(schema: string): string {
  return `"${schema}"`;
}

export function tablesOf(schema: string): Tables {
  const quoted = quoteSchema(schema);
  return {
    migrations: `${quoted}.ledgerline_migrations`,
    worlds: `${quoted}.ledgerline_worlds`,
    operations: `${quoted}.ledgerline_operations`,
    snapshots: `${quoted}.ledgerline_snapshots`,
    advance: `${quoted}.ledgerline_advance`,
  };
}

/**
 * The schema's versions, applied in order, each in its own transaction and recorded in
 * `ledgerline_migrations`. Append new versions; never edit an applied one. Version 2 partitions the
 * log by world (docs/decisions.md, "Replicas partitioned by world"); it replaces version 1's tables,
 * and {@link migrate} refuses to run it over a version 1 ledger that holds anything.
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
    {
      version: 2,
      sql: `
        DROP TABLE ${tables.operations};
        DROP TABLE ${tables.snapshots};
        CREATE TABLE ${tables.worlds} (
          world text PRIMARY KEY,
          seq bigint NOT NULL CHECK (seq >= 0)
        );
        CREATE TABLE ${tables.operations} (
          world text NOT NULL,
          seq bigint NOT NULL CHECK (seq > 0),
          record text NOT NULL,
          committed_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (world, seq)
        );
        CREATE TABLE ${tables.snapshots} (
          world text NOT NULL,
          seq bigint NOT NULL CHECK (seq >= 0),
          taken_at_ms bigint NOT NULL,
          snapshot text NOT NULL,
          PRIMARY KEY (world, seq)
        );
        CREATE FUNCTION ${tables.advance}(w text, expected bigint, next bigint) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE ${tables.worlds} SET seq = next WHERE world = w AND seq = expected;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'world % is no longer at record %: another replica appended to it', w, expected
              USING ERRCODE = '${STALE_STATE}';
          END IF;
        END $$;`,
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

/**
 * The second half of a world's log lock: the schema's key mixed with the world's id (FNV-1a over
 * both), so each world of each deployment has a lock of its own. Two worlds that share a key only
 * wait for each other; the order of each world's log stays exact.
 */
export function worldLockKey(schema: string, world: string): number {
  let hash = schemaLockKey(schema);
  for (const byte of Buffer.from(`/${world}`, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash | 0;
}

/** First halves of the advisory lock keys ("LL" + a letter, so they are unlikely to meet an app's own). */
export const LOCK_CLASS = {
  /** Held (transaction-scoped, one per world: {@link worldLockKey}) while a replica appends to a world's log. */
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
    if (current === 1) await refuseOldLedger(client, tables, location);
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

/**
 * Version 1 kept one log for every world; its records cannot be split into the worlds' logs without
 * replaying them, so a version 1 ledger that holds anything is refused rather than guessed at. An
 * empty one (created and never seeded) is migrated.
 */
async function refuseOldLedger(client: pg.Client, tables: Tables, location: string): Promise<void> {
  const held = await client.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM ${tables.operations})::int + (SELECT count(*) FROM ${tables.snapshots})::int AS n`,
  );
  if ((held.rows[0]?.n ?? 0) > 0)
    throw new StoreOpenError(
      `${location} holds a ledger written by an older ledgerline (one log for every world, schema version 1), which this one cannot read; start on a new schema (?schema=another_name) or drop the ledgerline_* tables of this one.`,
    );
}

/** SQLSTATEs of a wait the server gave up on: a lock held past `lock_timeout`, a statement past `statement_timeout`. */
export const BUSY_STATES = new Set(['55P03', '57014']);

/** The SQLSTATE of a PostgreSQL error (`undefined` for anything else). */
export function stateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
