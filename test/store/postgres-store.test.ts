import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_CLASS, worldLockKey } from '../../mock/store/postgres-schema.js';
import { PostgresStore } from '../../mock/store/postgres-store.js';
import {
  MAIN_WORLD,
  type NewOperationRecord,
  type OperationRecord,
  type SectionContext,
  StoreBusyError,
  StoreOpenError,
  type StoreSnapshot,
  StoreUnavailableError,
  StoreWriteError,
} from '../../mock/store/types.js';
import { adminQuery, freshSchema, POSTGRES_URL } from './postgres-support.js';

const schemas: ReturnType<typeof freshSchema>[] = [];
afterAll(async () => {
  for (const schema of schemas) await schema.drop();
});

function newSchema() {
  const schema = freshSchema();
  schemas.push(schema);
  return schema;
}

function record(body: string): NewOperationRecord {
  return {
    world: MAIN_WORLD,
    receivedAtMs: 1,
    timeMs: 2,
    method: 'POST',
    target: '/x',
    headers: { 'content-type': 'application/json' },
    body,
    random: [],
  };
}

/** Ends the store's connections from the server side, as a database restart would. */
async function cut(schema: string): Promise<void> {
  await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
    `ledgerline-mock:${schema}`,
  ]);
}

function snapshotAt(seq: number, label = 'seed'): StoreSnapshot {
  // The store keeps a snapshot as it is; a real one is MockApp.snapshot() per world.
  return {
    format: 'ledgerline-store',
    version: 1,
    seq,
    takenAtMs: 0,
    worlds: { [MAIN_WORLD]: { label } as never },
  };
}

/** An opened, seeded store (as the durable layer leaves a new one). */
async function seeded(url: string): Promise<PostgresStore> {
  const store = new PostgresStore(url);
  const contents = await store.open();
  if (contents.snapshot === null) await store.compact(snapshotAt(0));
  return store;
}

/** What a replica's state would be: the bodies of every record applied, in order. */
function replica(store: PostgresStore) {
  const applied: OperationRecord[] = [];
  const take = (context: SectionContext) => {
    if (context.snapshot) applied.splice(0, applied.length);
    applied.push(...context.missed);
  };
  return {
    applied,
    write: (body: string) =>
      store.commit((context) => {
        take(context);
        const seq = context.append(record(body)) as unknown as number;
        applied.push({ ...record(body), seq });
        return seq;
      }),
    read: () => store.commit((context) => take(context)),
  };
}

describe('PostgreSQL store: one total order across processes', () => {
  it('numbers records 1, 2, 3... across two stores, and each hands the other its records as missed', async () => {
    const { url } = newSchema();
    const a = await seeded(url);
    const b = await seeded(url);
    const left = replica(a);
    const right = replica(b);
    const writes: Promise<number>[] = [];
    for (let i = 0; i < 40; i += 1) writes.push((i % 2 === 0 ? left : right).write(`w${i}`));
    const seqs = await Promise.all(writes);
    expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await left.read();
    await right.read();
    expect(left.applied.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(right.applied.map((r) => r.body)).toEqual(left.applied.map((r) => r.body));
    await Promise.all([a.close(), b.close()]);
    const rows = await adminQuery(
      `SELECT count(*)::int AS n FROM ${schemas.at(-1)?.name}.ledgerline_operations`,
    );
    expect(rows.rows[0]?.n).toBe(40);
  });

  it('reopens with the snapshot and every record after it; a section that throws keeps what it appended', async () => {
    const { url } = newSchema();
    const a = await seeded(url);
    await expect(
      a.commit((context) => {
        context.append(record('kept'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await a.close();
    const again = new PostgresStore(url);
    const contents = await again.open();
    expect(contents.snapshot?.seq).toBe(0);
    expect(contents.records.map((r) => [r.seq, r.body])).toEqual([[1, 'kept']]);
    expect(contents.records[0]?.headers).toEqual({ 'content-type': 'application/json' });
    await again.close();
  });

  it('keeps a body with NUL characters and quotes exactly', async () => {
    const { url } = newSchema();
    const a = await seeded(url);
    const body = `{"a":"it's \\u0000 ${'\u0000'} \\\\ "}`;
    await replica(a).write(body);
    await a.close();
    const again = new PostgresStore(url);
    expect((await again.open()).records[0]?.body).toBe(body);
    await again.close();
  });
});

describe('PostgreSQL store: start-up', () => {
  it('refuses an unreachable database with StoreOpenError naming the place', async () => {
    const store = new PostgresStore('postgres://postgres@127.0.0.1:1/test');
    const error = await store.open().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(String(error)).toContain('cannot reach PostgreSQL at postgres://postgres@127.0.0.1:1/test');
  });

  it('refuses a URL that is not PostgreSQL and a schema that is not a plain name', () => {
    expect(() => new PostgresStore('mysql://x/y')).toThrow(StoreOpenError);
    expect(() => new PostgresStore('postgres://127.0.0.1/test?schema=a;drop')).toThrow(/not a plain name/);
  });

  it('creates its tables at version 2, and refuses a schema migrated by a newer version', async () => {
    const { url, name } = newSchema();
    const a = await seeded(url);
    await a.close();
    const versions = await adminQuery(`SELECT version FROM ${name}.ledgerline_migrations ORDER BY version`);
    expect(versions.rows).toEqual([{ version: 1 }, { version: 2 }]);
    await adminQuery(`INSERT INTO ${name}.ledgerline_migrations (version) VALUES (99)`);
    await expect(new PostgresStore(url).open()).rejects.toThrow(/version 99 by a newer ledgerline/);
  });

  it('refuses a ledger of the one-log layout (version 1) with what to do, and migrates an empty one', async () => {
    const { url, name } = newSchema();
    const legacy = `
      CREATE SCHEMA ${name};
      CREATE TABLE ${name}.ledgerline_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO ${name}.ledgerline_migrations (version) VALUES (1);
      CREATE TABLE ${name}.ledgerline_operations (seq bigint PRIMARY KEY, world text NOT NULL, record text NOT NULL, committed_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE ${name}.ledgerline_snapshots (seq bigint PRIMARY KEY, taken_at_ms bigint NOT NULL, snapshot text NOT NULL);`;
    await adminQuery(legacy);
    await adminQuery(`INSERT INTO ${name}.ledgerline_snapshots VALUES (0, 0, '{}')`);
    const refused = await new PostgresStore(url).open().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreOpenError);
    expect(String(refused)).toMatch(/older ledgerline .* start on a new schema/);
    await adminQuery(`DELETE FROM ${name}.ledgerline_snapshots`);
    const store = await seeded(url);
    expect(await replica(store).write('w')).toBe(1);
    await store.close();
  });

  it('lets one of two processes opening an empty store seed it; the other reads that seed', async () => {
    const { url } = newSchema();
    const a = new PostgresStore(url);
    const b = new PostgresStore(url);
    const first = await a.open();
    expect(first.snapshot).toBeNull();
    const second = b.open();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await a.compact(snapshotAt(0, 'from a'));
    const contents = await second;
    expect(contents.snapshot?.worlds[MAIN_WORLD]).toEqual({ label: 'from a' });
    await Promise.all([a.close(), b.close()]);
  });
});

describe('PostgreSQL store: compaction and failures', () => {
  it('hands a store behind the compaction the newest snapshot and the records after it', async () => {
    const { url, name } = newSchema();
    const a = await seeded(url);
    const b = await seeded(url);
    const writer = replica(a);
    for (let i = 0; i < 3; i += 1) await writer.write(`w${i}`);
    await a.compact(snapshotAt(3, 'at 3'));
    await writer.write('w3');
    await a.compact(snapshotAt(4, 'at 4'));
    await writer.write('w4');
    const kept = await adminQuery(`SELECT seq FROM ${name}.ledgerline_operations ORDER BY seq`);
    expect(kept.rows.map((row) => Number(row.seq))).toEqual([4, 5]);
    const seen = await b.commit((context) => ({
      snapshot: context.snapshot?.seq,
      missed: context.missed.map((r) => r.seq),
    }));
    expect(seen).toEqual({ snapshot: 4, missed: [5] });
    await Promise.all([a.close(), b.close()]);
  });

  it('replaces a connection cut while idle without failing', async () => {
    const { url, name } = newSchema();
    const a = await seeded(url);
    await replica(a).write('before');
    await cut(name);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await replica(a).write('after')).toBe(2);
    expect(a.failed).toBe(false);
    await a.close();
  });

  it('fails closed when its connection is cut mid-commit, and a reload brings it back', async () => {
    const { url, name } = newSchema();
    const a = await seeded(url);
    const writer = replica(a);
    await writer.write('before');
    const lost = a.commit(async (context) => {
      context.append(record('lost'));
      await cut(name);
    });
    await expect(lost).rejects.toBeInstanceOf(StoreWriteError);
    expect(a.failed).toBe(true);
    await expect(writer.write('refused')).rejects.toBeInstanceOf(StoreUnavailableError);
    const contents = await a.reload();
    expect(a.failed).toBe(false);
    expect(contents.records.map((r) => r.body)).toEqual(['before']);
    expect(await writer.write('after')).toBe(2);
    await a.close();
  });
});

describe('PostgreSQL store: one log and one lock per world', () => {
  /** A store whose lock waits end after 1 s (the other timeouts above it, as the URL requires). */
  const quick = (url: string) =>
    `${url}&idle_in_transaction_session_timeout=500&lock_timeout=1000&statement_timeout=2000`;

  /** Makes sandbox worlds `ids` (a create commits each one's row and first snapshot). */
  async function withWorlds(store: PostgresStore, ids: readonly string[]): Promise<void> {
    await store.commit((context) => {
      for (const id of ids) context.created?.(id, { label: id } as never);
    });
  }

  const inWorld = (world: string, body: string): NewOperationRecord => ({ ...record(body), world });

  it('commits to one sandbox while another replica holds a second sandbox, and numbers each world from 1', async () => {
    const { url } = newSchema();
    const a = await seeded(quick(url));
    const b = await seeded(quick(url));
    await withWorlds(a, ['sbx_one', 'sbx_two']);
    const releases: (() => void)[] = [];
    const held = new Promise<void>((resolve) => releases.push(resolve));
    const release = () => {
      for (const resolve of releases) resolve();
    };
    // A stops in the middle of a commit to sbx_one, holding its lock (as a paused process would).
    const paused = a.commit(
      async (context) => {
        context.append(inWorld('sbx_one', 'never committed'));
        await held;
      },
      ['sbx_one'],
    );
    // B writes the other sandbox meanwhile.
    expect(await b.commit((context) => context.append(inWorld('sbx_two', 'free')), ['sbx_two'])).toBe(1);
    // And the held one too, once PostgreSQL ended A's idle transaction (before B's lock wait ended).
    expect(await b.commit((context) => context.append(inWorld('sbx_one', 'after')), ['sbx_one'])).toBe(1);
    release();
    await expect(paused).rejects.toBeInstanceOf(StoreWriteError);
    await a.reload();
    const seen = await a.commit(
      (context) => ({ missed: context.missed.map((r) => [r.world, r.seq, r.body]) }),
      ['sbx_one', 'sbx_two'],
    );
    expect(seen.missed).toEqual([]);
    const bodies = await adminQuery(
      `SELECT world, seq, record::json->>'body' AS body FROM ${schemas.at(-1)?.name}.ledgerline_operations ORDER BY world, seq`,
    );
    expect(bodies.rows.map((row) => [row.world, Number(row.seq), row.body])).toEqual([
      ['sbx_one', 1, 'after'],
      ['sbx_two', 1, 'free'],
    ]);
    await Promise.all([a.close(), b.close()]);
  });

  it('answers a lock held past lock_timeout with StoreBusyError and stays healthy', async () => {
    const { url, name } = newSchema();
    const a = await seeded(quick(url));
    await withWorlds(a, ['sbx_busy']);
    // A session (not a transaction: no idle timeout ends it) holds the sandbox's lock.
    const holder = new pg.Client({ connectionString: POSTGRES_URL });
    await holder.connect();
    await holder.query(`SELECT pg_advisory_lock(${LOCK_CLASS.log}, ${worldLockKey(name, 'sbx_busy')})`);
    const busy = await a
      .commit((context) => context.append(inWorld('sbx_busy', 'waits')), ['sbx_busy'])
      .catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(StoreBusyError);
    expect(a.failed).toBe(false);
    // Other worlds go on meanwhile; the sandbox too once the lock is free.
    expect(await replica(a).write('main goes on')).toBe(1);
    await holder.end();
    expect(await a.commit((context) => context.append(inWorld('sbx_busy', 'now')), ['sbx_busy'])).toBe(1);
    await a.close();
  });

  it('refuses to commit when the world moved on without it (the fence), and a reload brings it back', async () => {
    const { url, name } = newSchema();
    const a = await seeded(url);
    await replica(a).write('first');
    const stale = a.commit(async (context) => {
      context.append(record('on a stale view'));
      // Another writer that got past the lock (as a replica whose session ended while paused would).
      await adminQuery(`UPDATE ${name}.ledgerline_worlds SET seq = seq + 1 WHERE world = 'main'`);
    });
    const error = await stale.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreWriteError);
    expect(String(error)).toMatch(/stale view/);
    const kept = await adminQuery(
      `SELECT body FROM (SELECT record::json->>'body' AS body, seq FROM ${name}.ledgerline_operations) r ORDER BY seq`,
    );
    expect(kept.rows.map((row) => row.body)).toEqual(['first']);
    await adminQuery(`UPDATE ${name}.ledgerline_worlds SET seq = seq - 1 WHERE world = 'main'`);
    await a.reload();
    expect(await replica(a).write('second')).toBe(2);
    await a.close();
  });

  it('refuses timeouts in an order where a paused replica would outlast a waiting one', () => {
    expect(
      () =>
        new PostgresStore(
          'postgres://127.0.0.1/test?lock_timeout=100&idle_in_transaction_session_timeout=500',
        ),
    ).toThrow(/idle_in_transaction_session_timeout < lock_timeout < statement_timeout/);
    expect(() => new PostgresStore('postgres://127.0.0.1/test?lock_timeout=soon')).toThrow(
      /not a number of milliseconds/,
    );
  });
});
