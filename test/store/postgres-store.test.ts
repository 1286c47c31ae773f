import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../mock/store/postgres-store.js';
import {
  MAIN_WORLD,
  type NewOperationRecord,
  type OperationRecord,
  type SectionContext,
  StoreOpenError,
  type StoreSnapshot,
  StoreUnavailableError,
  StoreWriteError,
} from '../../mock/store/types.js';
import { adminQuery, freshSchema } from './postgres-support.js';

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

  it('creates its tables at version 1, and refuses a schema migrated by a newer version', async () => {
    const { url, name } = newSchema();
    const a = await seeded(url);
    await a.close();
    const versions = await adminQuery(`SELECT version FROM ${name}.ledgerline_migrations`);
    expect(versions.rows).toEqual([{ version: 1 }]);
    await adminQuery(`INSERT INTO ${name}.ledgerline_migrations (version) VALUES (99)`);
    await expect(new PostgresStore(url).open()).rejects.toThrow(/version 99 by a newer ledgerline/);
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
