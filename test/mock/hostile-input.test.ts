import { describe, expect, it } from 'vitest';
import { books, call, demoApp } from './support.js';

// Bodies a hostile tester sends get the family's 4xx, never a 500 or a dropped connection,
// and change nothing.

const BILLING_KEY = { bearer: 'flowyte_sk_test_demo' };
const SESSION = { bearer: 'flowyte_session_demo' };

describe('money a double cannot fool', () => {
  it('refuses the float artefact 0.30000000000000004 on wallet credit with a 400 naming amountUsd', async () => {
    const app = demoApp();
    const before = books(app);
    const answer = await call(app, 'POST', '/api/v1/billing/wallet/credit', {
      ...BILLING_KEY,
      text: '{"amountUsd":0.30000000000000004,"reason":"test"}',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'float-1' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].field).toBe('amountUsd');
    expect(answer.body.detail).toContain('amountUsd: has 17 decimals');
    expect(books(app)).toEqual(before);
  });

  it('tells each family which field has too many decimals, in its own validation shape, as a fresh answer', async () => {
    const app = demoApp();
    const before = books(app);
    const wl = await call(app, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_demo',
      text: '{"user_id":123,"transfer_type":"minutes","operation":"add","amount":0.30000000000000004}',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'float-wl' },
    });
    expect(wl.status).toBe(422);
    expect(wl.body).toEqual({
      message: 'amount has 17 decimals; at most 2 are allowed.',
      errors: { amount: ['amount has 17 decimals; at most 2 are allowed.'] },
    });
    expect(wl.headers['idempotent-replayed']).toBeUndefined();
    const billing = await call(app, 'POST', '/api/v1/billing/wallet/credit', {
      ...BILLING_KEY,
      text: '{"amountUsd":0.30000000000000004,"reason":"test"}',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'float-billing' },
    });
    expect(billing.body.detail).toBe('Invalid request: amountUsd: has 17 decimals; at most 2 are allowed.');
    expect(billing.body.errors).toEqual([
      { field: 'amountUsd', message: 'amountUsd has 17 decimals; at most 2 are allowed' },
    ]);
    expect(books(app)).toEqual(before);
  });

  it('refuses 5.000000000000001 on top-up and on the auto-reload threshold', async () => {
    const app = demoApp();
    const before = books(app);
    const topUp = await call(app, 'POST', '/api/v1/billing/wallet/topup', {
      ...SESSION,
      text: '{"amountUsd":5.000000000000001}',
      headers: { 'content-type': 'application/json' },
    });
    expect(topUp.status).toBe(400);
    const reload = await call(app, 'PUT', '/api/v1/billing/wallet/auto-reload', {
      ...SESSION,
      text: '{"enabled":true,"thresholdUsd":5.000000000000001,"amountUsd":10}',
      headers: { 'content-type': 'application/json' },
    });
    expect(reload.status).toBe(400);
    expect(reload.body.errors[0].field).toBe('thresholdUsd');
    expect(books(app)).toEqual(before);
    const wallet = await call(app, 'GET', '/api/v1/billing/wallet', SESSION);
    expect(wallet.body.data.autoReloadThresholdUsd).toBeNull();
  });

  it('answers quantity 0.30000000000000004 on /_mock/billing/usage with a 400, not a dropped connection', async () => {
    const app = demoApp();
    const before = books(app);
    const answer = await call(app, 'POST', '/_mock/billing/usage', {
      text: '{"organizationId":"org_demo","channel":"chat","quantity":0.30000000000000004}',
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.issues[0].path).toBe('quantity');
    expect(books(app)).toEqual(before);
  });

  it('refuses a value past double precision (100.0000000000000001) instead of moving 100', async () => {
    const app = demoApp();
    const before = books(app);
    const answer = await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      text: '{"to_organization_id":4002,"minutes":20,"cost_per_min":0.2000000000000000001}',
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toContain('cost_per_min');
    const wl = await call(app, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_demo',
      text: '{"user_id":123,"transfer_type":"minutes","operation":"add","amount":100.0000000000000001}',
      headers: { 'content-type': 'application/json' },
    });
    expect(wl.status).toBe(422);
    expect(wl.body.errors.amount[0]).toContain('100.0000000000000001');
    expect(books(app)).toEqual(before);
  });
});

describe('deep nesting', () => {
  it('answers a valid body with a field nested 30,000 arrays deep and an Idempotency-Key with a 400', async () => {
    const app = demoApp();
    const before = books(app);
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    const answer = await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      text: `{"to_organization_id":4002,"minutes":20,"cost_per_min":0.2,"extra":${deep}}`,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-1' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toContain('nested more than 64 levels');
    expect(books(app)).toEqual(before);
  });
});

describe('idempotency keys per credential', () => {
  it('answers 429 to a credential over its 10,000 keys while another credential keeps its keys', async () => {
    const app = demoApp({ idempotency: { maxRecordsPerScope: 10_000 } });
    const paid = await call(app, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_demo',
      json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
      headers: { 'idempotency-key': 'victim-1' },
    });
    expect(paid.status).toBe(200);
    // Refused requests still claim their keys: a flood costs the server nothing but the flooder's quota.
    for (let i = 0; i < 10_000; i += 1) {
      const answer = await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
        bearer: 'rs_demo',
        json: { to_organization_id: 4002, minutes: 1_000_000, cost_per_min: 0.2 },
        headers: { 'idempotency-key': `flood-${i}` },
      });
      expect(answer.status).toBe(400);
    }
    const over = await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
      headers: { 'idempotency-key': 'flood-over' },
    });
    expect(over.status).toBe(429);
    expect(over.body.error).toBe('too_many_idempotency_keys');
    const retry = await call(app, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_demo',
      json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
      headers: { 'idempotency-key': 'victim-1' },
    });
    expect(retry.headers['idempotent-replayed']).toBe('true');
  }, 60_000);
});
