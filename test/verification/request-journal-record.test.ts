import { describe, expect, it } from 'vitest';
import { RequestJournal, type RequestRecordInput } from '../../mock/index.js';
import { maskCredential } from '../../mock/services/request-journal.js';
import { call, demoApp } from '../mock/support.js';

// What the request journal keeps of each request that reached the app: paths no operation answers,
// every header (credentials masked), the id of the `x-request-id` header; and a memory bound that
// counts all of it.

const wallet = { bearer: 'flowyte_sk_test_demo' };

describe('the pipeline records', () => {
  it('a path outside every family (404) and a method no operation takes (405), with no operation', async () => {
    const app = demoApp();
    const outside = await call(app, 'GET', '/favicon.ico');
    const wrongMethod = await call(app, 'DELETE', '/api/v1/billing/wallet', wallet);
    expect([outside.status, wrongMethod.status]).toEqual([404, 405]);
    const [deleted, favicon] = app.requests().requests;
    expect(favicon).toMatchObject({
      method: 'GET',
      path: '/favicon.ico',
      operationId: null,
      family: null,
      status: 404,
      delivered: true,
      id: outside.headers['x-request-id'],
    });
    expect(deleted).toMatchObject({
      operationId: null,
      family: 'billing',
      status: 405,
      credential: 'Bearer flow***',
    });
    expect(app.requests({ status: 404 }).requests.map((r) => r.path)).toEqual(['/favicon.ico']);
  });

  it('every request header, credentials masked, and the query string', async () => {
    const app = demoApp();
    await call(app, 'GET', '/api/v1/billing/usage', {
      ...wallet,
      headers: { 'X-Trace': 'trace-7', Cookie: 'session=abcdefghijklmnop' },
      query: { limit: 5 },
    });
    const [record] = app.requests().requests;
    expect(record?.requestHeaders).toEqual({
      'x-trace': 'trace-7',
      cookie: 'sess***',
      authorization: 'Bearer flow***',
    });
    expect(record?.query).toBe('limit=5');
    expect(JSON.stringify(record)).not.toContain('flowyte_sk_test_demo');
  });

  it("each request under the id of its answer's x-request-id, unique in the world", async () => {
    const app = demoApp();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1)
      ids.push((await call(app, 'GET', '/api/v1/billing/wallet', wallet)).headers['x-request-id'] ?? '');
    // A control call takes a number too, but is not journaled.
    await call(app, 'GET', '/_mock/state');
    ids.push((await call(app, 'GET', '/api/v1/billing/wallet', wallet)).headers['x-request-id'] ?? '');
    app.reset();
    ids.push((await call(app, 'GET', '/api/v1/billing/wallet', wallet)).headers['x-request-id'] ?? '');
    expect(ids.every((id) => /^req_\d{6,}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(app.requests().requests.map((r) => r.id)).toEqual(ids.slice(-1));
  });

  it('in a sandbox, in its own journal, with its own ids and its unrouted requests', async () => {
    const app = demoApp();
    const created = await call(app, 'POST', '/_mock/sandboxes', { json: {} });
    const base = `/_mock/sandboxes/${created.body.id}`;
    const answered = await call(app, 'GET', `${base}/api/v1/billing/nowhere`, wallet);
    expect(answered.status).toBe(404);
    const listed = await call(app, 'GET', `${base}/_mock/requests`);
    expect(listed.body.requests).toMatchObject([
      {
        path: '/api/v1/billing/nowhere',
        status: 404,
        operationId: null,
        id: answered.headers['x-request-id'],
      },
    ]);
    expect(app.requests().requests).toEqual([]);
  });
});

function input(over: Partial<RequestRecordInput> = {}): RequestRecordInput {
  return {
    timeMs: Date.parse('2025-06-01T12:00:00Z'),
    method: 'POST',
    path: '/api/v1/reseller/credits/transfer',
    operationId: 'transferCreditsToChild',
    family: 'reseller',
    credential: undefined,
    idempotencyKey: undefined,
    requestText: '{"to_organization_id":4002,"minutes":1,"cost_per_min":0.2}',
    status: 200,
    responseBody: { success: true, new_to_balance: 10.2 },
    durationMs: 0.4,
    replayed: false,
    fault: null,
    ...over,
  };
}

/** The characters of every string a record keeps, as the journal keeps them (credentials masked). */
function keptChars(given: RequestRecordInput, id: string): number {
  const headers = given.headers ?? [];
  let chars = id.length + given.method.length + given.path.length + (given.query ?? '').length;
  chars += (given.operationId ?? '').length + (given.requestText ?? '').length;
  chars += (maskCredential(given.credential) ?? '').length + (given.idempotencyKey ?? '').length;
  chars += given.responseBody === undefined ? 0 : JSON.stringify(given.responseBody).length;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = (headers[i] ?? '').toLowerCase();
    const value = headers[i + 1] ?? '';
    chars += name.length + (name === 'authorization' ? (maskCredential(value) ?? '').length : value.length);
  }
  for (const [name, value] of Object.entries(given.responseHeaders ?? {}))
    chars += name.length + value.length;
  return chars;
}

describe('the memory bound', () => {
  it('counts at least every character kept, headers, bodies, paths and strings', () => {
    const journal = new RequestJournal(100, { maxBytes: 1024 * 1024 });
    const given = [
      input(),
      input({ headers: ['Host', 'localhost', 'X-Trace', 't'.repeat(3000)], query: 'limit=5&cursor=3' }),
      input({
        path: `/api/v1/billing/${'p'.repeat(2000)}`,
        status: 404,
        operationId: null,
        responseBody: { error: 'e'.repeat(900) },
      }),
      input({
        idempotencyKey: 'k'.repeat(255),
        responseHeaders: { 'x-request-id': 'req_000004', 'retry-after': '5' },
      }),
    ];
    let expected = 0;
    // Records given no id are numbered by the journal: `req_` and their sequence number.
    for (const record of given)
      expected += keptChars(record, `req_${String(journal.record(record)).padStart(6, '0')}`);
    expect(journal.bytes).toBeGreaterThanOrEqual(expected);
    // And no more than a fixed cost per record beside them: the count follows what is kept.
    expect(journal.bytes - expected).toBeLessThan(given.length * 2000);
  });

  it('keeps a credential masked, not whole: a 14 KB Authorization header costs what its mask does', () => {
    const journal = new RequestJournal(100);
    const secret = `Bearer ${'s'.repeat(14 * 1024)}`;
    journal.record(input({ credential: secret, headers: ['Authorization', secret] }));
    const small = new RequestJournal(100);
    small.record(input({ credential: 'Bearer rs_demo', headers: ['Authorization', 'Bearer rs_demo'] }));
    expect(journal.bytes).toBe(small.bytes + 2 * ('Bearer ssss***'.length - 'Bearer rs***'.length));
    expect(JSON.stringify(journal.query())).not.toContain('sssss');
  });

  it('evicts the oldest records to stay under the bound, counting them, and keeps the newest', () => {
    const maxBytes = 64 * 1024;
    const journal = new RequestJournal(10_000, { maxBytes });
    const big = (n: number) => input({ headers: ['X-Padding', String(n).padEnd(14 * 1024, 'x')] });
    for (let n = 1; n <= 40; n += 1) {
      journal.record(big(n));
      expect(journal.bytes).toBeLessThanOrEqual(maxBytes);
    }
    const { requests, evicted } = journal.query({ limit: 1000 });
    expect(requests.length).toBe(4);
    expect(evicted).toBe(36);
    expect(requests[0]?.requestHeaders['x-padding']?.startsWith('40')).toBe(true);
    // A record larger than the bound alone is still kept, alone.
    journal.record(input({ requestText: 'b'.repeat(100 * 1024) }));
    expect(journal.query().requests).toHaveLength(1);
    journal.record(input());
    expect(journal.query().requests).toHaveLength(1);
    expect(journal.bytes).toBeLessThanOrEqual(maxBytes);
  });

  it('is per journal: every sandbox has its own, of the same size', async () => {
    const app = demoApp({ requestJournalBytes: 32 * 1024 });
    expect(app.requestJournal.maxBytes).toBe(32 * 1024);
    const created = await call(app, 'POST', '/_mock/sandboxes', { json: {} });
    const base = `/_mock/sandboxes/${created.body.id}`;
    const padding = 'x'.repeat(10 * 1024);
    for (let i = 0; i < 6; i += 1)
      await call(app, 'GET', `${base}/api/v1/billing/wallet`, {
        ...wallet,
        headers: { 'x-padding': padding },
      });
    const listed = await call(app, 'GET', `${base}/_mock/requests`);
    expect(listed.body.evicted).toBeGreaterThan(0);
    expect(listed.body.requests.length).toBeLessThan(6);
    expect(() => new RequestJournal(10, { maxBytes: 0 })).toThrow(
      /memory bound must be a positive whole number/,
    );
  });
});
