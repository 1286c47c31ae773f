import { afterAll, describe, expect, it } from 'vitest';
import { DurableApp } from '../../mock/store/durable.js';
import { PostgresStore } from '../../mock/store/postgres-store.js';
import { adminQuery, freshSchema, type TestSchema } from './postgres-support.js';
import { type DurableCall, send } from './sandbox-support.js';

// Sandboxes are worlds with logs of their own on PostgreSQL: a replica that did not hold a sandbox,
// or held it before compaction trimmed its log, reads the sandbox's snapshot and the records after
// it; idle sandboxes end through a recorded delete; a replica's snapshot numbers each world's log.
// In-process replicas, each on a fresh schema, with sandbox clocks the tests move.

const schemas: TestSchema[] = [];
/** Replicas still open: each is closed after the file's tests. */
const replicas = new Set<DurableApp>();
const START_MS = Date.parse('2026-11-30T00:00:00Z');
const IDLE_MS = 60_000;

afterAll(async () => {
  await Promise.all([...replicas].map((replica) => replica.close()));
  await Promise.all(schemas.map((schema) => schema.drop()));
});

/** A replica's calls, its app, and the lines it logged (its operator's view of the store). */
type Replica = DurableCall & { durable: DurableApp; lines: string[] };

/** A fresh schema, dropped after the file's tests. */
function store(): TestSchema {
  const schema = freshSchema();
  schemas.push(schema);
  return schema;
}

/** A replica on `schema`; `now` is its sandboxes' clock. */
async function replica(schema: TestSchema, now: () => number = () => START_MS): Promise<Replica> {
  const lines: string[] = [];
  const store = new PostgresStore(schema.url);
  const durable = await DurableApp.open(store, { sandboxes: { idleMs: IDLE_MS, now } }, (line) =>
    lines.push(line),
  );
  replicas.add(durable);
  return Object.assign(send(durable), { durable, lines });
}

/** A new sandbox made through `call`: the prefix of its paths. */
async function sandbox(call: DurableCall): Promise<string> {
  const made = await call('POST', '/_mock/sandboxes', { json: {} });
  expect(made.status).toBe(201);
  return `/_mock/sandboxes/${made.body.id}`;
}

async function transfer(call: DurableCall, prefix: string, amount: number): Promise<void> {
  const answer = await call('POST', `${prefix}/api/white-label/transfer`, {
    bearer: 'wl_admin_demo',
    json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount },
  });
  expect(answer.status).toBe(200);
}

/** User 123's minutes in the world of `prefix` ('' for the main world), as the replica serves them. */
async function minutes(call: DurableCall, prefix: string): Promise<number> {
  const state = await call('GET', `${prefix}/_mock/state`);
  expect(state.status).toBe(200);
  return state.body.accounts.find((account: { id: string }) => account.id.includes('123')).balances.minutes;
}

/** The ids of the sandboxes the replica serves. */
async function ids(call: DurableCall): Promise<string[]> {
  const listed = await call('GET', '/_mock/sandboxes');
  return listed.body.sandboxes.map((entry: { id: string }) => entry.id);
}

describe('a sandbox another replica changed', () => {
  it('is served from its snapshot and later records by a replica using it first after compaction', async () => {
    const schema = store();
    const [a, b] = [await replica(schema), await replica(schema)];
    const base = await sandbox(a);
    const start = await minutes(a, base);
    await transfer(a, base, 1);
    // The sandbox's log now starts after this transfer: b can only learn it from the snapshot.
    await a.durable.compact();
    await transfer(a, base, 2);
    expect(await minutes(b, base)).toBe(start + 3);
    // b's own change follows the records it read: a applies it after its own.
    await transfer(b, base, 4);
    expect(await minutes(a, base)).toBe(start + 7);
    expect(await minutes(b, base)).toBe(start + 7);
  });

  it('is read afresh by a replica whose place in its log compaction removed', async () => {
    const schema = store();
    const [a, b] = [await replica(schema), await replica(schema)];
    const base = await sandbox(a);
    const start = await minutes(b, base);
    await transfer(a, base, 1);
    await a.durable.compact();
    await transfer(a, base, 2);
    // A second snapshot: the records b has not applied yet (after its first use) are gone.
    await a.durable.compact();
    expect(await minutes(b, base)).toBe(start + 3);
    await transfer(b, base, 4);
    expect(await minutes(a, base)).toBe(start + 7);
  });

  it('replays each record after the snapshot once, on the snapshot: a key made with a token from before it', async () => {
    const schema = store();
    const [a, b] = [await replica(schema), await replica(schema)];
    const base = await sandbox(a);
    const issued = await a('POST', `${base}/api/white-label/token`, {
      bearer: 'wl_admin_demo',
      json: { user_id: 125 },
    });
    expect(issued.status).toBe(200);
    await a.durable.compact();
    const key = { bearer: issued.body.token, json: { name: 'Replica Key' } };
    expect((await a('POST', `${base}/api/user/api-keys`, key)).status).toBe(201);
    const listed = await b('GET', `${base}/api/user/api-keys`, { bearer: issued.body.token });
    const names = listed.body.api_keys.map((entry: { name: string }) => entry.name);
    expect(names).toEqual(['api-token', 'Replica Key']);
    // Replayed before the snapshot was restored, the key's record would find no token: an operator
    // would read that a committed change "changed nothing when replayed".
    expect(b.lines).toEqual([]);
  });
});

describe('a replica behind a compaction of the main world', () => {
  it("takes the store's snapshot when no record follows it", async () => {
    const schema = store();
    const [a, b] = [await replica(schema), await replica(schema)];
    // Two snapshots of the main world: the log then starts after b's place in it.
    for (const amount of [1, 2]) {
      await transfer(a, '', amount);
      await a.durable.compact();
    }
    expect(await minutes(b, '')).toBe(await minutes(a, ''));
  });

  it("restores every world from the store's snapshot, then applies the records after it", async () => {
    const schema = store();
    const [a, b] = [await replica(schema), await replica(schema)];
    const gone = await sandbox(a);
    for (const amount of [1, 2]) {
      await transfer(a, '', amount);
      await a.durable.compact();
    }
    const kept = await sandbox(a);
    await transfer(a, kept, 4);
    expect((await a('DELETE', gone)).status).toBe(204);
    expect(await minutes(b, kept)).toBe(await minutes(a, kept));
    expect(await ids(b)).toEqual(await ids(a));
    expect(b.lines).toEqual([]);
  });
});

describe('idle sandboxes across replicas', () => {
  it('ends on a replica only the sandboxes still idle once it applied what the others did to them', async () => {
    let laterMs = START_MS;
    const schema = store();
    // Only b's clock moves: only b finds sandboxes idle.
    const [a, b] = [await replica(schema), await replica(schema, () => laterMs)];
    const idle = await sandbox(a);
    const used = await sandbox(a);
    for (const prefix of [idle, used]) await minutes(b, prefix);
    laterMs += IDLE_MS + 1;
    // Both are idle on b now, but a changes one of them: b applying that change is a use.
    await transfer(a, used, 1);
    expect((await b('GET', '/_mock/state')).status).toBe(200);
    const left = [used.split('/').at(-1)];
    expect(await ids(b)).toEqual(left);
    expect(await ids(a)).toEqual(left);
    expect((await a('GET', `${idle}/_mock/state`)).status).toBe(404);
  });
});

describe("a replica's snapshot of every world", () => {
  it('is written at a clean stop: every world then starts from its last record, with nothing to replay', async () => {
    const schema = store();
    const a = await replica(schema);
    const base = await sandbox(a);
    await transfer(a, '', 1);
    await transfer(a, base, 2);
    replicas.delete(a.durable);
    await a.durable.close();
    const behind = await adminQuery(
      `SELECT w.world FROM ${schema.name}.ledgerline_worlds w
       WHERE w.seq > (SELECT max(s.seq) FROM ${schema.name}.ledgerline_snapshots s WHERE s.world = w.world)`,
    );
    expect(behind.rows).toEqual([]);
  });

  it('numbers each world by its own log, so a replica starting from it applies every later record once', async () => {
    const schema = store();
    const [a, b] = [await replica(schema), await replica(schema)];
    const base = await sandbox(a);
    for (const amount of [1, 2, 3]) await transfer(a, '', amount);
    await transfer(a, base, 10);
    // b applies the main world's records, then the sandbox's first, and writes the snapshot: one
    // count of records for all worlds would say its main world holds only the main world's first.
    const live = { main: await minutes(b, ''), sandbox: await minutes(b, base) };
    await b.durable.compact();
    await transfer(a, '', 7);
    await transfer(a, base, 20);
    const c = await replica(schema);
    expect(await minutes(c, '')).toBe(live.main + 7);
    expect(await minutes(c, base)).toBe(live.sandbox + 20);
    expect(await minutes(a, '')).toBe(live.main + 7);
  });
});
