import { afterAll, describe, expect, it } from 'vitest';
import { checkInvariants, type MockServer } from '../../mock/index.js';
import { ApiError, ConnectionError, createClient, ServerError } from '../../src/index.js';
import { ADMIN_KEY, createMockServer, drillSeed, journalTransfers, seededRandom } from './support.js';

// 1,000 SDK transfers against the standalone server while 20% of them commit and then lose the
// connection (`reset-after-commit`) and 10% answer 503. Every call must succeed or fail cleanly
// with a typed error; the ledger must hold exactly one entry per call that committed, and after the
// failed calls are repeated with their own Idempotency-Key, exactly the sum of all 1,000 calls.
// DRILL_CALLS raises the count (`npm run test:soak`).

const CALLS = Number(process.env.DRILL_CALLS ?? 1_000);
const USERS = 25;
const PATH = '/api/white-label/transfer';
let server: MockServer | undefined;

afterAll(async () => {
  await server?.close();
});

/** Amount of call `i` in cents: 1..500, so minutes move with two decimals. */
const cents = (i: number) => ((i * 7919) % 500) + 1;

describe('fault drill: transfers through resets after commit and 503s', () => {
  it(`${CALLS} SDK transfers: clean failures, exactly-once commits, no duplicate`, async () => {
    server = await createMockServer({ port: 0, seed: drillSeed(USERS), random: seededRandom(20_250_601) });
    const { app, url } = server;
    app.faults.add({ method: 'POST', path: PATH, kind: 'reset-after-commit', probability: 0.2 });
    app.faults.add({ method: 'POST', path: PATH, kind: 'status', status: 503, probability: 0.1 });
    const client = createClient({
      baseUrl: url,
      credentials: { whiteLabel: { apiKey: ADMIN_KEY } },
      retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 4 },
    });
    const transfer = (i: number) =>
      client.whiteLabel.transfer(
        { user_id: (i % USERS) + 1, transfer_type: 'minutes', operation: 'add', amount: cents(i) / 100 },
        { idempotencyKey: `drill-${i}` },
      );

    const failed = new Map<number, unknown>();
    const succeeded: number[] = [];
    for (let start = 0; start < CALLS; start += 10) {
      const batch = Array.from({ length: Math.min(10, CALLS - start) }, (_, k) => start + k);
      const results = await Promise.allSettled(batch.map(transfer));
      results.forEach((result, k) => {
        const i = batch[k] ?? -1;
        if (result.status === 'fulfilled') succeeded.push(i);
        else failed.set(i, result.reason);
      });
    }
    // Failing cleanly: a typed error, the last attempt's 503 or lost connection. An earlier attempt
    // may have committed (its answer lost): only the journal can tell, and it must say "once".
    for (const [i, error] of failed) {
      expect(
        error instanceof ServerError || error instanceof ConnectionError,
        `call ${i}: ${String(error)}`,
      ).toBe(true);
      if (error instanceof ApiError) expect(error.status).toBe(503);
    }

    const committed = await journalTransfers(server);
    const keys = committed.map((entry) => entry.idempotencyKey);
    expect(new Set(keys).size, 'a key committed twice').toBe(keys.length);
    for (const i of succeeded) expect(keys).toContain(`drill-${i}`);
    expect(keys.length).toBeLessThanOrEqual(CALLS);

    // The books hold exactly what committed: every user's minutes and the admin's.
    const expectedCents = new Map<number, number>();
    for (const key of keys) {
      const i = Number(String(key).slice('drill-'.length));
      expectedCents.set((i % USERS) + 1, (expectedCents.get((i % USERS) + 1) ?? 0) + cents(i));
    }
    const users = (await client.whiteLabel.listUsers()).data;
    for (const user of users)
      expect(Math.round(user.minutes_balance * 100), `user ${user.id}`).toBe(expectedCents.get(user.id) ?? 0);
    const committedCents = [...expectedCents.values()].reduce((a, b) => a + b, 0);
    const admin = await client.whiteLabel.me();
    expect(Math.round(admin.minutes_balance * 100)).toBe(10_000_000 * 100 - committedCents);

    // Repeating each failed call with its key completes it once: the books then hold all calls.
    app.faults.clear();
    for (const i of failed.keys()) await transfer(i);
    const all = await journalTransfers(server);
    expect(all.length).toBe(CALLS);
    expect(new Set(all.map((entry) => entry.idempotencyKey)).size).toBe(CALLS);
    const total = Array.from({ length: CALLS }, (_, i) => cents(i)).reduce((a, b) => a + b, 0);
    expect(Math.round((await client.whiteLabel.me()).minutes_balance * 100)).toBe(10_000_000 * 100 - total);
    expect(checkInvariants(app.world.ledger)).toEqual([]);
    const drops = failed.size - [...failed.values()].filter((e) => e instanceof ServerError).length;
    console.log(
      `fault drill: ${CALLS} calls, ${succeeded.length} succeeded, ${failed.size} failed cleanly ` +
        `(${failed.size - drops} 503, ${drops} lost connections), ${keys.length} committed before repair, ${all.length} after`,
    );
  }, 120_000);
});
