import { describe, expect, it } from 'vitest';
import { call, demoApp } from '../mock/support.js';
import { specIssues } from '../mock/white-label-support.js';

// docs/fidelity.md, wallet-and-usage rows marked "implemented": the documented requests of
// docs.flowyte.com and the documented answers (envelope, problem+json errors).

const KEY = 'flowyte_sk_test_demo';

describe('concepts/billing (seed page) and api-reference/billing/get-wallet-balance', () => {
  it('"Check the balance": GET /billing/wallet answers {success: true, data: {balanceUsd, autoReload...}}', async () => {
    const res = await call(demoApp(), 'GET', '/api/v1/billing/wallet', { bearer: KEY });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      data: {
        balanceUsd: 50,
        autoReloadEnabled: false,
        autoReloadThresholdUsd: null,
        autoReloadAmountUsd: null,
      },
    });
    expect(specIssues('getWallet', res)).toEqual([]);
  });
});

describe('resources/errors: the problem shape', () => {
  it('"400 Bad Request ... errors[] lists the offending fields": type about:blank, code validation_error, instance', async () => {
    const res = await call(demoApp(), 'POST', '/api/v1/billing/wallet/credit', {
      bearer: KEY,
      json: { amountUsd: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'validation_error',
      instance: '/api/v1/billing/wallet/credit',
      errors: [{ field: 'reason', message: 'reason is required' }],
    });
    expect(specIssues('creditWallet', res)).toEqual([]);
  });

  it.each([
    ['401 Unauthorized', undefined, 401, 'unauthorized', 'about:blank'],
    ['403 Forbidden (insufficient scope)', 'flowyte_sk_test_readonly', 403, 'forbidden', 'about:blank'],
  ])('"%s" carries a stable code and the instance', async (_, bearer, status, code, type) => {
    const res = await call(demoApp(), 'POST', '/api/v1/billing/wallet/credit', {
      ...(bearer === undefined ? {} : { bearer }),
      json: { amountUsd: 1, reason: 'goodwill' },
    });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ type, status, code, instance: '/api/v1/billing/wallet/credit' });
  });

  it('a named problem has a documentation URL as its type: 402 insufficient_funds', async () => {
    const res = await call(demoApp(), 'POST', '/api/v1/billing/subscription', {
      bearer: 'flowyte_session_demo',
      json: { planId: 'scale' },
    });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({
      type: 'https://docs.flowyte.com/errors/insufficient_funds',
      code: 'insufficient_funds',
      instance: '/api/v1/billing/subscription',
    });
  });
});

describe('api-reference/billing/list-itemized-usage-charges', () => {
  it('"data": [ {time, type, channel, quantity, credits, description, agentId} ] with from/to, newest first', async () => {
    const app = demoApp();
    for (const channel of ['voice', 'chat']) {
      const recorded = await call(app, 'POST', '/_mock/billing/usage', {
        json: { organizationId: 'org_demo', channel, quantity: 1 },
      });
      expect(recorded.status).toBe(201);
      app.world.ledger.clock.advance(60_000);
    }
    const res = await call(app, 'GET', '/api/v1/billing/usage/items', {
      bearer: KEY,
      query: { from: '2025-06-01T00:00:00Z', to: '2025-06-02T00:00:00Z' },
    });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(Array.isArray(res.body.data)).toBe(true);
    expect(res.body.data.map((item: { channel: string }) => item.channel)).toEqual(['chat', 'voice']);
    for (const item of res.body.data)
      expect(Object.keys(item)).toEqual(
        expect.arrayContaining(['time', 'type', 'channel', 'quantity', 'credits', 'description', 'agentId']),
      );
    expect(specIssues('listUsageItems', res)).toEqual([]);
  });
});
