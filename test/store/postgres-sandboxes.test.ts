import { afterAll, describe, expect, it } from 'vitest';
import type { MockAppOptions } from '../../mock/app.js';
import { DurableApp } from '../../mock/store/durable.js';
import { PostgresStore } from '../../mock/store/postgres-store.js';
import { freshSchema } from './postgres-support.js';
import { type DurableCall, send } from './sandbox-support.js';

// Sandboxes over PostgreSQL: in-process replicas on one fresh schema. Creating,
// deleting (also by idle expiry) and writing inside a sandbox are records of the one log, so every
// replica serves every sandbox with the same books.

const schema = freshSchema();
const replicas: DurableApp[] = [];
const START_MS = Date.parse('2026-11-30T00:00:00Z');
/** Replica B's idea of real time; the others' stays at START_MS, so only B finds a sandbox idle. */
let laterMs = START_MS;

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.close()));
  await schema.drop();
});

async function replica(now = () => START_MS): Promise<DurableCall & { durable: DurableApp }> {
  const options: Omit<MockAppOptions, 'gate' | 'snapshot'> = { sandboxes: { idleMs: 60_000, now } };
  const durable = await DurableApp.open(new PostgresStore(schema.url), options, () => undefined);
  replicas.push(durable);
  return Object.assign(send(durable), { durable });
}

const CHILD = 'reseller:organization:4002';
const transfer = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };

async function childUsd(call: DurableCall, prefix: string): Promise<unknown> {
  const state = await call('GET', `${prefix}/_mock/state`);
  expect(state.status).toBe(200);
  return state.body.accounts.find((account: { id: string }) => account.id === CHILD).balances.usd;
}

const ids = async (call: DurableCall) =>
  (await call('GET', '/_mock/sandboxes')).body.sandboxes.map((sandbox: { id: string }) => sandbox.id);

describe('sandboxes on PostgreSQL replicas', () => {
  it('serves a sandbox made on one replica from another, and a delete on either ends it on both', async () => {
    const [a, b] = [await replica(), await replica(() => laterMs)];
    const made = await a('POST', '/_mock/sandboxes', { json: {} });
    expect(made.status).toBe(201);
    const base = `/_mock/sandboxes/${made.body.id}`;
    const mainUsd = await childUsd(b, '');
    const moved = await a('POST', `${base}/api/v1/reseller/credits/transfer`, {
      bearer: 'rs_demo',
      headers: { 'idempotency-key': 'pg-sandbox-1' },
      json: transfer,
    });
    expect(moved.status).toBe(200);
    // Read-your-writes across replicas, inside the sandbox; the main world is untouched.
    const sandboxUsd = await childUsd(a, base);
    expect(sandboxUsd).not.toEqual(mainUsd);
    expect(await childUsd(b, base)).toEqual(sandboxUsd);
    expect(await childUsd(b, '')).toEqual(mainUsd);
    expect(await ids(b)).toEqual([made.body.id]);
    // The sandbox's keys are shared too: the key sent to the other replica replays.
    const again = await b('POST', `${base}/api/v1/reseller/credits/transfer`, {
      bearer: 'rs_demo',
      headers: { 'idempotency-key': 'pg-sandbox-1' },
      json: transfer,
    });
    expect(again.headers['idempotent-replayed']).toBe('true');

    expect((await b('DELETE', base)).status).toBe(204);
    expect((await a('GET', `${base}/_mock/state`)).status).toBe(404);
    expect(await ids(a)).toEqual([]);
  });

  it('hands sandboxes to a replica that starts from a snapshot, and ends idle ones for all', async () => {
    const [a, b] = replicas as [DurableApp, DurableApp];
    const callA = send(a);
    const made = await callA('POST', '/_mock/sandboxes', { json: {} });
    const base = `/_mock/sandboxes/${made.body.id}`;
    await callA('POST', `${base}/api/v1/reseller/credits/transfer`, { bearer: 'rs_demo', json: transfer });
    const sandboxUsd = await childUsd(callA, base);
    await a.compact();
    const c = await replica();
    expect(await ids(c)).toEqual([made.body.id]);
    expect(await childUsd(c, base)).toEqual(sandboxUsd);

    // B applies the records (each counts as a use on B), then the sandbox is idle past its time on B
    // alone: B's next request ends it with a recorded delete, which the others apply.
    expect(await childUsd(send(b), base)).toEqual(sandboxUsd);
    laterMs += 60_001;
    expect((await send(b)('GET', '/_mock/state')).status).toBe(200);
    for (const call of [callA, c]) expect((await call('GET', `${base}/_mock/state`)).status).toBe(404);
  });
});
