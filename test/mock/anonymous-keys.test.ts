import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clock, DAY_MS, IdempotencyStore, requestFingerprint } from '../../mock/ledger/index.js';
import { ADA, login, send, tokenOf } from './credit-send-support.js';
import { type CallResult, call, demoApp } from './support.js';

// Keys of callers without a credential (credit-send's login) must not spend the pool tenants' keys
// depend on: a client inventing emails once filled the server-wide cap, and every family's keyed
// writes were refused 429 from then on, each refusal scanning every credential.

const CAPS = { maxRecords: 20, maxAnonymousRecords: 4 };
const PRINT = requestFingerprint('POST', '/x', { n: 1 });

/** A keyed write of each family, with a fresh key; all four must still be answered 2xx. */
async function tenantWrites(app: ReturnType<typeof demoApp>, n: number): Promise<number[]> {
  const key = (family: string) => ({ 'idempotency-key': `${family}-${n}` });
  const token = await tokenOf(app, ADA);
  const answers: CallResult[] = [
    await call(app, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_demo',
      headers: key('wl'),
      json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
    }),
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      headers: key('rs'),
      json: { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
    }),
    await send(app, token, { user: 11, credits: 1 }, key('cs')),
    await call(app, 'POST', '/api/v1/billing/wallet/credit', {
      bearer: 'flowyte_sk_test_demo',
      headers: key('bl'),
      json: { amountUsd: 1, reason: 'n' },
    }),
  ];
  return answers.map((answer) => (answer.status === 'dropped' ? 0 : answer.status));
}

describe('Idempotency-Keys of logins', () => {
  it('a flood of refused logins with fresh keys keeps no key, and every family still takes keyed writes', async () => {
    const app = demoApp({ idempotency: CAPS });
    for (let i = 0; i < 200; i += 1) {
      const refused = await login(
        app,
        { email: `nobody${i}@example.com`, secret: 'x' },
        { 'idempotency-key': `k${i}` },
      );
      expect(refused.status).toBe(501);
    }
    expect(app.world.ledger.idempotency.size).toBe(0);
    for (const status of await tenantWrites(app, 1)) expect(status).toBeLessThan(300);
  });

  it('a refused login sent again with its key runs again (nothing was kept), a successful one replays', async () => {
    const app = demoApp({ idempotency: CAPS });
    const wrong = { email: ADA.email, secret: 'wrong' };
    expect((await login(app, wrong, { 'idempotency-key': 'same' })).status).toBe(501);
    const right = await login(app, { ...ADA, ttl: '60' }, { 'idempotency-key': 'same' });
    expect(right.status).toBe(200);
    const again = await login(app, { ...ADA, ttl: '60' }, { 'idempotency-key': 'same' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(right.body);
  });

  it('successful logins fill their own pool only: a 429 for the next login key, none for tenants', async () => {
    const app = demoApp({ idempotency: CAPS });
    for (let i = 0; i < CAPS.maxAnonymousRecords; i += 1)
      expect((await login(app, { ...ADA, ttl: '60' }, { 'idempotency-key': `ok${i}` })).status).toBe(200);
    const over = await login(app, { ...ADA, ttl: '60' }, { 'idempotency-key': 'one-more' });
    expect(over.status).toBe(429);
    expect(JSON.stringify(over.body)).toContain(
      `holds ${CAPS.maxAnonymousRecords} Idempotency-Keys of requests without a credential`,
    );
    // Without a key a login still works.
    expect((await login(app, { ...ADA, ttl: '60' })).status).toBe(200);
    for (const status of await tenantWrites(app, 2)) expect(status).toBeLessThan(300);
    expect(app.world.ledger.idempotency.anonymousSize).toBe(CAPS.maxAnonymousRecords);
  });

  it('the pools survive a snapshot: a restored login key still counts as anonymous', async () => {
    const app = demoApp({ idempotency: CAPS });
    expect((await login(app, { ...ADA, ttl: '60' }, { 'idempotency-key': 'kept' })).status).toBe(200);
    const restored = demoApp({ snapshot: app.snapshot(), idempotency: CAPS });
    expect(restored.world.ledger.idempotency.anonymousSize).toBe(1);
    const again = await login(restored, { ...ADA, ttl: '60' }, { 'idempotency-key': 'kept' });
    expect(again.headers['idempotent-replayed']).toBe('true');
  });
});

describe('a refusal at a full store', () => {
  afterEach(() => vi.restoreAllMocks());

  it('visits no credential but the oldest record: constant work however many credentials hold keys', () => {
    const clock = Clock.controlled('2025-06-01T00:00:00Z');
    const credentials = 2_000;
    const store = new IdempotencyStore(clock, { maxRecords: credentials });
    for (let i = 0; i < credentials; i += 1) {
      store.begin(`cred-${i}`, 'k', PRINT);
      store.complete(`cred-${i}`, 'k', { status: 201, body: i });
    }
    // Each credential's keys are a Map: a scan of every credential iterates each of them.
    const iterated = vi.spyOn(Map.prototype, Symbol.iterator);
    const values = vi.spyOn(Map.prototype, 'values');
    const entries = vi.spyOn(Map.prototype, 'entries');
    expect(store.begin('newcomer', 'k', PRINT)).toEqual({
      kind: 'over_quota',
      limit: credentials,
      scope: 'server',
    });
    expect(iterated.mock.calls.length + values.mock.calls.length + entries.mock.calls.length).toBeLessThan(3);
    // Expired keys still make room, oldest first.
    clock.advance(DAY_MS);
    expect(store.begin('newcomer', 'k', PRINT).kind).toBe('started');
    expect(store.size).toBe(1);
  });
});
