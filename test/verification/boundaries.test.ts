import { describe, expect, it } from 'vitest';
import { RequestJournal, type RequestRecordInput } from '../../mock/index.js';
import { Clock, IdempotencyStore, requestFingerprint } from '../../mock/ledger/index.js';
import { appWith, billingCall, DEMO_SESSION } from '../mock/billing-support.js';
import { call, demoApp } from '../mock/support.js';

// Boundaries that only a test at the exact value catches: each of these passed a hand mutation
// (an operator or a bound off by one) before it was written.

const PRINT = requestFingerprint('POST', '/x', { n: 1 });

function input(path: string, timeMs = Date.parse('2025-06-01T12:00:00Z')): RequestRecordInput {
  return {
    timeMs,
    method: 'GET',
    path,
    operationId: 'getWallet',
    family: 'billing',
    credential: 'Bearer flowyte_sk_test_demo',
    idempotencyKey: undefined,
    requestText: null,
    status: 200,
    responseBody: { success: true },
    durationMs: 0.5,
    replayed: false,
    fault: null,
  };
}

describe('an asynchronous handler that rejects', () => {
  it('releases its key: the retry runs afresh instead of 409 in flight forever', async () => {
    const store = new IdempotencyStore(Clock.controlled('2025-06-01T00:00:00Z'));
    const failing = () => Promise.reject(new Error('credential check failed'));
    await expect(store.execute('cred', 'k', PRINT, failing, () => undefined)).rejects.toThrow(
      'credential check failed',
    );
    expect(store.size).toBe(0);
    expect(store.begin('cred', 'k', PRINT).kind).toBe('started');
  });
});

describe('the length of an Idempotency-Key', () => {
  const transfer = (key: string) =>
    call(demoApp(), 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      headers: { 'idempotency-key': key },
      json: { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
    });

  it('takes a key of 255 characters and refuses one of 256, naming the bound', async () => {
    expect((await transfer('k'.repeat(255))).status).toBe(200);
    const long = await transfer('k'.repeat(256));
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toContain('must be 1 to 255 characters long');
  });
});

describe('Retry-After of the billing rate limit', () => {
  it('is the seconds left in the window rounded up, never down', async () => {
    const app = appWith({ rateLimit: { requestsPerMinute: 1 } });
    // 12:00:10.600: 49.4 s are left in the window; rounding would say 49 and a client would be early.
    app.world.ledger.clock.set('2025-06-01T12:00:10.600Z');
    const wallet = () => billingCall(app, 'GET', '/api/v1/billing/wallet', { bearer: DEMO_SESSION });
    expect((await wallet()).status).toBe(200);
    const refused = await wallet();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('50');
    expect(refused.headers['ratelimit-reset']).toBe('50');
  });
});

describe('the request journal ring', () => {
  it('amends the record it names only: an evicted id changes nothing, the newest stays', () => {
    const journal = new RequestJournal(3);
    const ids = [1, 2, 3, 4].map((i) => journal.record(input(`/r/${i}`)));
    const [evicted, oldest] = ids as [number, number, number, number];
    // The evicted record's slot now holds the newest one: amending it must not overwrite that.
    expect(journal.amend(evicted, input('/amended'))).toBe(false);
    expect(journal.query().requests.map((r) => r.path)).toEqual(['/r/4', '/r/3', '/r/2']);
    expect(journal.amend(oldest, input('/amended'))).toBe(true);
    expect(journal.query().requests.map((r) => r.path)).toEqual(['/r/4', '/r/3', '/amended']);
  });

  it('`since` keeps a request made at that very instant', () => {
    const journal = new RequestJournal(10);
    const at = Date.parse('2025-06-01T12:00:00Z');
    journal.record(input('/before', at - 1));
    journal.record(input('/at', at));
    journal.record(input('/after', at + 1));
    const page = journal.query({ since: '2025-06-01T12:00:00.000Z' });
    expect(page.requests.map((r) => r.path)).toEqual(['/after', '/at']);
  });
});
