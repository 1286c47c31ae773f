import { HarValidator } from '@har-sdk/validator';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../mock/index.js';
import type { RequestHar } from '../../mock/services/request-har.js';
import { call, demoApp } from '../mock/support.js';

// `GET /_mock/requests/har`: the request journal as an HTTP Archive 1.2 document, checked against the
// HAR 1.2 JSON Schema of @har-sdk/validator, in-process, over HTTP and in a sandbox.

const transfer = { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 };

/** What the HAR 1.2 schema finds wrong with `har` (an empty list: a valid archive). */
async function harErrors(har: RequestHar): Promise<unknown[]> {
  return new HarValidator().verify(har as unknown as Parameters<HarValidator['verify']>[0]);
}

type Entry = RequestHar['log']['entries'][number];
const byId = (har: RequestHar, id: string | undefined): Entry | undefined =>
  har.log.entries.find((entry) => entry._ledgerline.id === id);

describe('in-process', () => {
  it('exports requests, answers, replays, faults and drops as a valid HAR 1.2 document, oldest first', async () => {
    const app = demoApp();
    const keyed = { bearer: 'rs_demo', headers: { 'Idempotency-Key': 'har-1' }, json: transfer };
    const first = await call(app, 'POST', '/api/v1/reseller/credits/transfer', keyed);
    const replay = await call(app, 'POST', '/api/v1/reseller/credits/transfer', keyed);
    const missing = await call(app, 'GET', '/api/v1/reseller/nowhere', {
      bearer: 'rs_demo',
      query: { page: 2 },
    });
    const status = app.faults.add({
      path: '/api/v1/billing/wallet',
      kind: 'status',
      status: 503,
      retryAfterSeconds: 5,
      times: 1,
    });
    const failed = await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    const drop = app.faults.add({
      method: 'POST',
      path: '/api/v1/reseller/*',
      kind: 'reset-after-commit',
      times: 1,
    });
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', { bearer: 'rs_demo', json: transfer });
    const har = app.requestsHar();
    expect(await harErrors(har)).toEqual([]);
    expect(har.log).toMatchObject({
      version: '1.2',
      creator: { name: 'ledgerline-mock' },
      _ledgerline: { evicted: 0, nextCursor: null },
    });
    expect(har.log.entries.map((entry) => entry._ledgerline.id)).toEqual(
      app
        .requests()
        .requests.map((record) => record.id)
        .reverse(),
    );

    expect(byId(har, first.headers['x-request-id'])).toMatchObject({
      startedDateTime: '2025-06-01T12:00:00.000Z',
      request: {
        method: 'POST',
        url: 'http://localhost:4010/api/v1/reseller/credits/transfer',
        headers: expect.arrayContaining([
          { name: 'authorization', value: 'Bearer rs***' },
          { name: 'idempotency-key', value: 'har-1' },
        ]),
        postData: { mimeType: 'application/json', text: JSON.stringify(transfer) },
        bodySize: JSON.stringify(transfer).length,
      },
      response: {
        status: 200,
        statusText: 'OK',
        headers: expect.arrayContaining([{ name: 'x-request-id', value: first.headers['x-request-id'] }]),
        content: { mimeType: 'application/json', text: JSON.stringify(first.body) },
      },
      _ledgerline: {
        operationId: 'transferCreditsToChild',
        family: 'reseller',
        replayed: false,
        delivered: true,
        fault: null,
        committed: null,
      },
    });
    expect(byId(har, replay.headers['x-request-id'])?._ledgerline.replayed).toBe(true);
    expect(byId(har, missing.headers['x-request-id'])).toMatchObject({
      request: {
        url: 'http://localhost:4010/api/v1/reseller/nowhere?page=2',
        queryString: [{ name: 'page', value: '2' }],
      },
      response: { status: 404, statusText: 'Not Found' },
      _ledgerline: { operationId: null },
    });
    expect(byId(har, failed.headers['x-request-id'])).toMatchObject({
      response: { status: 503, headers: expect.arrayContaining([{ name: 'retry-after', value: '5' }]) },
      _ledgerline: { fault: { id: status.id, kind: 'status' } },
    });
    const dropped = har.log.entries.at(-1);
    expect(dropped).toMatchObject({
      response: {
        status: 0,
        content: { size: 0 },
        _error: expect.stringContaining(`fault ${drop.id} (reset-after-commit)`),
      },
      _ledgerline: {
        delivered: false,
        committed: { status: 200, content: { mimeType: 'application/json' } },
      },
    });
    expect(JSON.parse(dropped?._ledgerline.committed?.content.text ?? 'null')).toMatchObject({
      success: true,
    });
    const timing = dropped?.timings;
    expect(timing?.wait).toBe(dropped?.time);
  });

  it('takes the filters and paging of GET /_mock/requests, and answers the same over the control API', async () => {
    const app = demoApp();
    for (let i = 0; i < 3; i += 1)
      await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', { bearer: 'rs_demo', json: transfer });
    const wallet = app.requestsHar({ operationId: 'getWallet', limit: 2 });
    expect(wallet.log.entries.map((e) => e._ledgerline.operationId)).toEqual(['getWallet', 'getWallet']);
    expect(wallet.log._ledgerline.nextCursor).not.toBeNull();
    const older = app.requestsHar({
      operationId: 'getWallet',
      cursor: wallet.log._ledgerline.nextCursor ?? '',
    });
    expect(older.log.entries).toHaveLength(1);
    const answered = await call(app, 'GET', '/_mock/requests/har', { query: { family: 'reseller' } });
    expect(answered.status).toBe(200);
    expect(answered.headers['content-disposition']).toBe('attachment; filename="ledgerline-requests.har"');
    expect(answered.body).toEqual(app.requestsHar({ family: 'reseller' }));
    expect(await harErrors(answered.body)).toEqual([]);
    const refused = await call(app, 'GET', '/_mock/requests/har', { query: { limit: 0 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/limit/);
  });
});

describe('over HTTP', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each(['server', 'sandbox'] as const)(
    'exports the %s journal with the URLs the client used',
    async (where) => {
      server = await createMockServer({ port: 0 });
      let base = server.url;
      if (where === 'sandbox') {
        const created = await fetch(`${server.url}/_mock/sandboxes`, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        });
        base = ((await created.json()) as { baseUrl: string }).baseUrl;
      }
      const sent = await fetch(`${base}/api/v1/billing/wallet?x=1`, {
        headers: { authorization: 'Bearer flowyte_sk_test_demo' },
      });
      await fetch(`${base}/no/such/path`);
      const answer = await fetch(`${base}/_mock/requests/har`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
      const har = (await answer.json()) as RequestHar;
      expect(await harErrors(har)).toEqual([]);
      expect(har.log.entries.map((entry) => [entry.request.url, entry.response.status])).toEqual([
        [`${base}/api/v1/billing/wallet?x=1`, 200],
        [`${base}/no/such/path`, 404],
      ]);
      expect(har.log.entries[0]?._ledgerline.id).toBe(sent.headers.get('x-request-id'));
      expect(har.log.entries[0]?.request.headers).toContainEqual({
        name: 'authorization',
        value: 'Bearer flow***',
      });
    },
  );
});
