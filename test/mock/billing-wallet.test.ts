import { describe, expect, it } from 'vitest';
import {
  balanceUsd,
  billingCall,
  DEMO_KEY,
  DEMO_READONLY_KEY,
  DEMO_SESSION,
  demoApp,
  expectUnchanged,
  MANUAL_KEY,
  MANUAL_SESSION,
} from './billing-support.js';

const WALLET = '/api/v1/billing/wallet';
const CREDIT = '/api/v1/billing/wallet/credit';

describe('billing wallet', () => {
  it('shows the seeded credits as USD (5000 credits = 50 USD) with auto-reload unset', async () => {
    const app = demoApp();
    const result = await billingCall(app, 'GET', WALLET, { bearer: DEMO_KEY });
    expect(result).toMatchObject({ status: 200 });
    expect(result.body).toEqual({
      success: true,
      data: {
        balanceUsd: 50,
        autoReloadEnabled: false,
        autoReloadThresholdUsd: null,
        autoReloadAmountUsd: null,
      },
    });
    expect(app.world.ledger.balance('billing:wallet:org_demo', 'credits')).toBe(500000n);
  });

  it('credits the wallet with a reason (billing:write) and journals it from billing:payments', async () => {
    const app = demoApp();
    const result = await billingCall(app, 'POST', CREDIT, {
      bearer: DEMO_KEY,
      json: { amountUsd: 10.25, reason: 'Goodwill credit' },
    });
    expect(result.status).toBe(201);
    expect(result.body.data.balanceUsd).toBe(60.25);
    const [entry] = app.world.ledger.journal({ family: 'billing', limit: 1 }).entries;
    expect(entry).toMatchObject({ operation: 'creditWallet', metadata: { reason: 'Goodwill credit' } });
    expect(entry?.postings).toEqual([
      { debit: 'billing:payments', credit: 'billing:wallet:org_demo', asset: 'credits', amount: 102500n },
    ]);
  });

  it('replays a credit sent again with the same Idempotency-Key and adds nothing', async () => {
    const app = demoApp();
    const send = () =>
      billingCall(app, 'POST', CREDIT, {
        bearer: DEMO_KEY,
        headers: { 'Idempotency-Key': 'credit-1' },
        json: { amountUsd: 5, reason: 'Once' },
      });
    const first = await send();
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await balanceUsd(app)).toBe(55);
  });

  it('rejects a credit with more than 2 decimals or no reason, naming the field', async () => {
    const app = demoApp();
    await expectUnchanged(app, async () => {
      const decimals = await billingCall(app, 'POST', CREDIT, {
        bearer: DEMO_KEY,
        json: { amountUsd: 1.005, reason: 'x' },
      });
      expect(decimals.status).toBe(400);
      expect(decimals.body.errors).toEqual([
        { field: 'amountUsd', message: 'amountUsd must have at most 2 decimals' },
      ]);
      const reason = await billingCall(app, 'POST', CREDIT, { bearer: DEMO_KEY, json: { amountUsd: 1 } });
      expect(reason.body).toMatchObject({
        type: 'about:blank',
        code: 'validation_error',
        errors: [{ field: 'reason', message: 'reason is required' }],
      });
    });
  });
});

describe('billing credentials and scopes', () => {
  it('answers 401 for a missing or unknown credential', async () => {
    const app = demoApp();
    const expected = {
      type: 'about:blank',
      code: 'unauthorized',
      title: 'Unauthorized',
      status: 401,
      detail: 'Missing or invalid API key or session token.',
    };
    const missing = await billingCall(app, 'GET', WALLET);
    expect(missing).toMatchObject({ status: 401, body: expected });
    expect(missing.headers['content-type']).toBe('application/problem+json');
    expect(await billingCall(app, 'GET', WALLET, { bearer: 'flowyte_sk_nope' })).toMatchObject({
      status: 401,
    });
    // A credential of another family is not a billing credential.
    expect(await billingCall(app, 'GET', WALLET, { bearer: 'wl_admin_demo' })).toMatchObject({ status: 401 });
  });

  it('refuses a read-only key on the credit endpoint with 403 naming billing:write', async () => {
    const app = demoApp();
    await expectUnchanged(app, async () => {
      const result = await billingCall(app, 'POST', CREDIT, {
        bearer: DEMO_READONLY_KEY,
        json: { amountUsd: 5, reason: 'x' },
      });
      expect(result).toMatchObject({
        status: 403,
        body: {
          type: 'about:blank',
          code: 'forbidden',
          title: 'Forbidden',
          status: 403,
          detail: 'This API key lacks the billing:write scope.',
        },
      });
    });
    expect(await billingCall(app, 'GET', WALLET, { bearer: DEMO_READONLY_KEY })).toMatchObject({
      status: 200,
    });
  });

  it('refuses a key without billing:read on the read endpoints', async () => {
    const app = demoApp({
      seed: {
        billing: {
          organizations: [
            {
              id: 'org_w',
              credits: 0,
              planId: null,
              apiKeys: [{ key: 'flowyte_sk_write_only', scopes: ['billing:write'] }],
              sessions: [],
              settlement: 'immediate',
            },
          ],
        },
      },
    });
    for (const path of [
      WALLET,
      '/api/v1/billing/usage/items',
      '/api/v1/billing/plans',
      '/api/v1/billing/invoices',
    ]) {
      const result = await billingCall(app, 'GET', path, { bearer: 'flowyte_sk_write_only' });
      expect(result.body.detail).toBe('This API key lacks the billing:read scope.');
    }
    const credit = await billingCall(app, 'POST', CREDIT, {
      bearer: 'flowyte_sk_write_only',
      json: { amountUsd: 5, reason: 'x' },
    });
    expect(credit.status).toBe(201);
  });

  it('needs a dashboard session for top-up, auto-reload and plan changes', async () => {
    const app = demoApp();
    const detail = 'This endpoint requires a dashboard session; API keys are not accepted.';
    await expectUnchanged(app, async () => {
      const calls = [
        billingCall(app, 'POST', '/api/v1/billing/wallet/topup', {
          bearer: DEMO_KEY,
          json: { amountUsd: 25 },
        }),
        billingCall(app, 'PUT', '/api/v1/billing/wallet/auto-reload', {
          bearer: DEMO_KEY,
          json: { enabled: true, thresholdUsd: 20, amountUsd: 50 },
        }),
        billingCall(app, 'POST', '/api/v1/billing/subscription', {
          bearer: DEMO_KEY,
          json: { planId: 'starter' },
        }),
      ];
      for (const result of await Promise.all(calls))
        expect(result).toMatchObject({ status: 403, body: { detail } });
    });
    const session = await billingCall(app, 'POST', CREDIT, {
      bearer: DEMO_SESSION,
      json: { amountUsd: 1, reason: 'x' },
    });
    expect(session.status).toBe(201);
  });
});

describe('billing tenancy', () => {
  it('shows each credential only its own organization', async () => {
    const app = demoApp();
    expect(await balanceUsd(app, DEMO_SESSION)).toBe(50);
    expect(await balanceUsd(app, MANUAL_KEY)).toBe(10);
    await billingCall(app, 'POST', CREDIT, {
      bearer: MANUAL_KEY,
      json: { amountUsd: 5, reason: 'manual org' },
    });
    expect(await balanceUsd(app, MANUAL_SESSION)).toBe(15);
    expect(await balanceUsd(app, DEMO_KEY)).toBe(50);
    const demoSub = await billingCall(app, 'GET', '/api/v1/billing/subscription', { bearer: DEMO_KEY });
    const manualSub = await billingCall(app, 'GET', '/api/v1/billing/subscription', { bearer: MANUAL_KEY });
    expect(demoSub.body.data.plan).toBeNull();
    expect(manualSub.body.data.plan.id).toBe('starter');
  });

  it('keeps usage and invoices apart per organization', async () => {
    const app = demoApp();
    await billingCall(app, 'POST', '/_mock/billing/usage', {
      json: { organizationId: 'org_manual', channel: 'chat', quantity: 3 },
    });
    const demoItems = await billingCall(app, 'GET', '/api/v1/billing/usage/items', { bearer: DEMO_KEY });
    const manualItems = await billingCall(app, 'GET', '/api/v1/billing/usage/items', { bearer: MANUAL_KEY });
    expect(demoItems.body.data).toEqual([]);
    expect(manualItems.body.data).toHaveLength(1);
    await billingCall(app, 'POST', '/api/v1/billing/wallet/topup', {
      bearer: DEMO_SESSION,
      json: { amountUsd: 5 },
    });
    const manualInvoices = await billingCall(app, 'GET', '/api/v1/billing/invoices', { bearer: MANUAL_KEY });
    expect(manualInvoices.body.data).toEqual([]);
  });

  it('scopes idempotency keys to the organization: the same key in another org runs anew', async () => {
    const app = demoApp();
    const headers = { 'Idempotency-Key': 'shared-key' };
    await billingCall(app, 'POST', CREDIT, {
      bearer: DEMO_KEY,
      headers,
      json: { amountUsd: 1, reason: 'a' },
    });
    const other = await billingCall(app, 'POST', CREDIT, {
      bearer: MANUAL_KEY,
      headers,
      json: { amountUsd: 1, reason: 'a' },
    });
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(await balanceUsd(app, MANUAL_KEY)).toBe(11);
  });
});
