import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer, PostgresStore } from '../../mock/index.js';
import { FOLLOW_INTERVAL_MS } from '../../mock/store/durable.js';
import { STORE_BATCH_CHANNEL, type StoreBatchEvent } from '../../mock/store/postgres-batch.js';
import { freshSchema } from './postgres-support.js';

// Two replicas in this process (createMockServer({ store })) on one fresh schema.

const schema = freshSchema();
const servers: MockServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await schema.drop();
});

async function replica(): Promise<MockServer> {
  const server = await createMockServer({ port: 0, store: new PostgresStore(schema.url) });
  servers.push(server);
  return server;
}

function transfer(server: MockServer, amount: number): Promise<Response> {
  return fetch(`${server.url}/api/white-label/transfer`, {
    method: 'POST',
    headers: { authorization: 'Bearer wl_admin_demo', 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 123, transfer_type: 'minutes', operation: 'add', amount }),
  });
}

/** User 123's minutes as the replica's in-memory state holds them (no request, so no catch-up). */
function minutesOf(server: MockServer): number | undefined {
  const account = server.app.state().accounts.find((entry) => entry.id.includes('123'));
  return account?.balances.minutes;
}

describe('PostgreSQL replicas in one process', () => {
  it('answers a read on one replica with a write just answered by the other', async () => {
    const [a, b] = [await replica(), await replica()];
    const transfer = await fetch(`${a.url}/api/white-label/transfer`, {
      method: 'POST',
      headers: { authorization: 'Bearer wl_admin_demo', 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 7 }),
    });
    const written = (await transfer.json()) as { user: { minutes_balance: number } };
    const state = (await (await fetch(`${b.url}/_mock/state`)).json()) as ReturnType<
      MockServer['app']['state']
    >;
    const user = state.accounts.find((entry) => entry.id.includes('123'));
    expect(user?.balances.minutes).toBe(written.user.minutes_balance);
  });

  it('lets an idle replica catch up on its own', async () => {
    const [a, b] = servers as [MockServer, MockServer];
    const before = minutesOf(b);
    await fetch(`${a.url}/api/white-label/transfer`, {
      method: 'POST',
      headers: { authorization: 'Bearer wl_admin_demo', 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 }),
    });
    const deadline = Date.now() + FOLLOW_INTERVAL_MS * 5;
    while (minutesOf(b) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(minutesOf(b)).toBe((before ?? 0) + 1);
  });

  // The replicas benchmark reads the throughput model's figures from these events.
  it('publishes each batch with its records and the records of the other replica it applied first', async () => {
    const [a, b] = servers as [MockServer, MockServer];
    const events: StoreBatchEvent[] = [];
    const listener = (message: unknown) => events.push(message as StoreBatchEvent);
    subscribe(STORE_BATCH_CHANNEL, listener);
    try {
      for (const amount of [1, 2]) expect((await transfer(a, amount)).status).toBe(200);
      expect((await transfer(b, 3)).status).toBe(200);
    } finally {
      unsubscribe(STORE_BATCH_CHANNEL, listener);
    }
    expect(events.reduce((sum, event) => sum + event.records, 0)).toBe(3);
    // b applies a's two records before its own (an idle replica's follow may take some, or b's for a).
    const caughtUp = events.reduce((sum, event) => sum + event.caughtUpRecords, 0);
    expect(caughtUp).toBeGreaterThanOrEqual(2);
    expect(caughtUp).toBeLessThanOrEqual(3);
    for (const event of events)
      for (const us of [event.lockWaitUs, event.sectionsUs, event.commitUs])
        expect(us).toBeGreaterThanOrEqual(0);
  });
});
