import { describe, expect, it } from 'vitest';
import { RequestJournal, type RequestRecordInput } from '../../mock/index.js';
import { maskCredential } from '../../mock/services/request-journal.js';
import { call, demoApp } from '../mock/support.js';

// The request journal: a bounded ring that says how much it dropped, queried newest first, filled by
// the pipeline for every family request (faults, replays and dropped connections included).

function input(path: string, over: Partial<RequestRecordInput> = {}): RequestRecordInput {
  return {
    timeMs: Date.parse('2025-06-01T12:00:00Z'),
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
    ...over,
  };
}

const transfer = { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 };
/** A request id as the journal and the `x-request-id` header show it. */
const id = (n: number) => `req_${String(n).padStart(6, '0')}`;

describe('the ring', () => {
  it('keeps the newest `capacity` requests and counts every one it drops', () => {
    const journal = new RequestJournal(3);
    for (let i = 1; i <= 5; i += 1) journal.record(input(`/r/${i}`));
    const page = journal.query();
    expect(page.requests.map((r) => r.path)).toEqual(['/r/5', '/r/4', '/r/3']);
    expect(page.requests.map((r) => r.id)).toEqual([id(5), id(4), id(3)]);
    expect(page.evicted).toBe(2);
    journal.record(input('/r/6'));
    expect(journal.query().evicted).toBe(3);
  });

  it('reports evicted 0 until the ring is full, and clear() starts over with new ids', () => {
    const journal = new RequestJournal(2);
    journal.record(input('/a'));
    journal.record(input('/b'));
    expect(journal.query().evicted).toBe(0);
    journal.record(input('/c'));
    journal.clear();
    expect(journal.query()).toEqual({ requests: [], nextCursor: null, evicted: 0 });
    journal.record(input('/d'));
    expect(journal.query().requests.map((r) => [r.id, r.path])).toEqual([[id(4), '/d']]);
  });

  it('drops the oldest records past its body text budget, counting them as evicted', () => {
    const journal = new RequestJournal(100, 1000);
    const body = (n: number) => input('/api/v1/billing/wallet', { requestText: 'x'.repeat(n) });
    for (let i = 0; i < 4; i += 1) journal.record(body(300));
    // 1,200 characters over a 1,000 budget: the oldest goes, three stay.
    expect(journal.query()).toMatchObject({
      evicted: 1,
      requests: [{ id: id(4) }, { id: id(3) }, { id: id(2) }],
    });
    journal.record(body(5000));
    // The newest is kept whatever its size; everything older goes.
    expect(journal.query()).toMatchObject({ evicted: 4, requests: [{ id: id(5) }] });
    journal.record(body(10));
    expect(journal.query().requests.map((r) => r.id)).toEqual([id(6)]);
    expect(journal.query().evicted).toBe(5);
    expect(() => new RequestJournal(10, 0)).toThrow(/body budget must be a positive whole number/);
  });

  it('keeps evicting correctly when the ring wraps after a budget eviction', () => {
    const journal = new RequestJournal(3, 1000);
    for (let i = 1; i <= 10; i += 1)
      journal.record(input('/api/v1/billing/wallet', { requestText: 'x'.repeat(i === 5 ? 900 : 100) }));
    // Ids 8..10 fill the ring (300 characters); the 900-character record 5 left long ago.
    expect(journal.query()).toMatchObject({
      evicted: 7,
      requests: [{ id: id(10) }, { id: id(9) }, { id: id(8) }],
    });
  });

  it('records nothing with capacity 0 and refuses a size outside 0..1,000,000', () => {
    const off = new RequestJournal(0);
    off.record(input('/a'));
    expect(off.enabled).toBe(false);
    expect(off.query()).toEqual({ requests: [], nextCursor: null, evicted: 0 });
    expect(() => new RequestJournal(-1)).toThrow(/from 0 to 1000000/);
    expect(() => new RequestJournal(1.5)).toThrow(RangeError);
    expect(() => new RequestJournal(1_000_001)).toThrow(RangeError);
  });

  it('pages newest first with cursors, across the ring wrapping, each record once', () => {
    const journal = new RequestJournal(7);
    for (let i = 1; i <= 10; i += 1) journal.record(input(`/r/${i}`));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = journal.query({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.requests.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([10, 9, 8, 7, 6, 5, 4].map(id));
  });

  it('filters by operation, family, status, key and time', () => {
    const journal = new RequestJournal(10);
    journal.record(input('/a', { status: 401 }));
    journal.record(
      input('/b', { operationId: 'transferCreditsToChild', family: 'reseller', idempotencyKey: 'k1' }),
    );
    journal.record(input('/c', { timeMs: Date.parse('2025-06-02T00:00:00Z') }));
    const paths = (query: Parameters<RequestJournal['query']>[0]) =>
      journal.query(query).requests.map((r) => r.path);
    expect(paths({ operationId: 'transferCreditsToChild' })).toEqual(['/b']);
    expect(paths({ family: 'billing' })).toEqual(['/c', '/a']);
    expect(paths({ status: 401 })).toEqual(['/a']);
    expect(paths({ idempotencyKey: 'k1' })).toEqual(['/b']);
    expect(paths({ since: '2025-06-01T12:00:01Z' })).toEqual(['/c']);
  });

  it('refuses a limit, cursor or since it cannot read, naming the parameter', () => {
    const journal = new RequestJournal(10);
    expect(() => journal.query({ limit: 0 })).toThrow(/^limit/);
    expect(() => journal.query({ limit: 1001 })).toThrow(/^limit/);
    expect(() => journal.query({ cursor: 'abc' })).toThrow(/^cursor/);
    expect(() => journal.query({ since: 'yesterday' })).toThrow(/^since/);
  });

  it('masks credentials to a prefix, keeping the scheme', () => {
    expect(maskCredential('Bearer flowyte_sk_test_demo')).toBe('Bearer flow***');
    expect(maskCredential('Bearer rs_demo')).toBe('Bearer rs***');
    expect(maskCredential('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMCJ9.sig')).toBe('eyJh***');
    expect(maskCredential('abc')).toBe('a***');
    expect(maskCredential(undefined)).toBeNull();
  });
});

describe('the pipeline records every family request', () => {
  it('with operation, masked credential, key, bodies, status and replay', async () => {
    const app = demoApp();
    const options = { bearer: 'rs_demo', headers: { 'Idempotency-Key': 'k-1' }, json: transfer };
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', options);
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', options);
    const [replay, first] = app.requests().requests;
    expect(first).toMatchObject({
      method: 'POST',
      path: '/api/v1/reseller/credits/transfer',
      operationId: 'transferCreditsToChild',
      family: 'reseller',
      credential: 'Bearer rs***',
      idempotencyKey: 'k-1',
      requestBody: transfer,
      status: 200,
      responseBody: { new_to_balance: 10.2 },
      replayed: false,
      fault: null,
      time: '2025-06-01T12:00:00.000Z',
    });
    expect(replay).toMatchObject({ status: 200, replayed: true, idempotencyKey: 'k-1' });
    expect(first?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('with the fault that decided it, and null for a connection dropped before the operation ran', async () => {
    const app = demoApp();
    const status = app.faults.add({ path: '/api/v1/billing/wallet', kind: 'status', status: 503, times: 1 });
    const reset = app.faults.add({ method: 'POST', path: '/api/v1/reseller/*', kind: 'reset', times: 1 });
    await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', { bearer: 'rs_demo', json: transfer });
    const [dropped, failed] = app.requests().requests;
    expect(failed).toMatchObject({ status: 503, fault: { id: status.id, kind: 'status' }, delivered: true });
    expect(dropped).toMatchObject({
      status: null,
      responseBody: null,
      delivered: false,
      fault: { id: reset.id, kind: 'reset' },
    });
  });

  it('with the answer a reset-after-commit committed, flagged as never delivered', async () => {
    const app = demoApp();
    const reset = app.faults.add({
      method: 'POST',
      path: '/api/v1/reseller/*',
      kind: 'reset-after-commit',
      times: 1,
    });
    const before = app.world.ledger.journalSize;
    const sent = await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: transfer,
    });
    expect(sent.status).toBe('dropped');
    const [dropped] = app.requests().requests;
    // The ledger committed the transfer: the journal shows what the client would have got.
    expect(app.world.ledger.journalSize).toBe(before + 1);
    expect(dropped).toMatchObject({
      status: 200,
      responseBody: { success: true, new_to_balance: 10.2 },
      responseHeaders: { 'x-request-id': dropped?.id },
      delivered: false,
      fault: { id: reset.id, kind: 'reset-after-commit' },
    });
  });

  it('with the injected latency counted in durationMs, as the client waits it', async () => {
    const app = demoApp();
    const slow = app.faults.add({ path: '/api/v1/billing/wallet', kind: 'latency', delayMs: 150, times: 1 });
    await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    const [delayed] = app.requests().requests;
    expect(delayed).toMatchObject({ status: 200, fault: { id: slow.id, kind: 'latency' } });
    expect(delayed?.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('including unknown paths of a family, but not /_mock calls', async () => {
    const app = demoApp();
    await call(app, 'GET', '/api/v1/reseller/nowhere', { bearer: 'rs_demo' });
    await call(app, 'GET', '/_mock/state');
    const { requests } = app.requests();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ path: '/api/v1/reseller/nowhere', operationId: null, status: 404 });
  });

  it('in a ring of the configured size, which a reset empties', async () => {
    const app = demoApp({ requestJournalSize: 2 });
    for (let i = 0; i < 5; i += 1)
      await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    expect(app.requests()).toMatchObject({ evicted: 3, requests: [{ id: id(5) }, { id: id(4) }] });
    app.reset();
    expect(app.requests()).toEqual({ requests: [], nextCursor: null, evicted: 0 });
  });

  it('and not at all when the journal is off', async () => {
    const app = demoApp({ requestJournalSize: 0 });
    await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    expect(app.requests().requests).toEqual([]);
  });

  it('answers GET and DELETE /_mock/requests with the same page as the in-process API', async () => {
    const app = demoApp();
    await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    const listed = await call(app, 'GET', '/_mock/requests', {
      query: { operationId: 'getWallet', limit: 5 },
    });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual(app.requests({ operationId: 'getWallet', limit: 5 }));
    expect((await call(app, 'GET', '/_mock/requests', { query: { limit: 0 } })).status).toBe(400);
    expect((await call(app, 'DELETE', '/_mock/requests')).status).toBe(204);
    expect(app.requests().requests).toEqual([]);
  });
});
