import { describe, expect, it } from 'vitest';
import {
  books,
  CALCULATE,
  DEMO_KEY,
  OTHER_KEY,
  post,
  REVERT,
  resellerApp,
  TRANSFER,
} from './reseller-support.js';
import { call } from './support.js';

const notDirectChild = (id: number) => ({
  error: 'forbidden',
  error_description: `Organization ${id} is not a direct child of your reseller organization.`,
});

describe('reseller authentication', () => {
  const unauthorized = { error: 'unauthorized', error_description: 'Missing or invalid API key' };

  it.each([
    ['no Authorization header', {}],
    ['an unknown key', { authorization: 'Bearer rs_nobody' }],
    ['another scheme', { authorization: `Basic ${DEMO_KEY}` }],
    ['a bare key', { authorization: DEMO_KEY }],
  ])('answers 401 to %s and moves nothing', async (_, headers) => {
    const app = resellerApp();
    const before = books(app);
    const res = await call(app, 'POST', TRANSFER, {
      headers,
      json: { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized);
    expect(books(app)).toEqual(before);
  });

  it('guards the read endpoints too', async () => {
    const app = resellerApp();
    for (const path of ['/api/v1/reseller/organizations', '/api/v1/reseller/credits/logs']) {
      const res = await call(app, 'GET', path, { bearer: 'wl_admin_demo' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(unauthorized);
    }
  });
});

describe('reseller tenancy', () => {
  // Unknown ids, other tenants' children, resellers and the caller itself answer alike, so a reseller
  // cannot tell which organization ids exist elsewhere.
  it.each([
    ['another reseller’s child', DEMO_KEY, 5002],
    ['another reseller’s child, the other way round', OTHER_KEY, 4002],
    ['an unknown organization', DEMO_KEY, 4099],
    ['another reseller', DEMO_KEY, 5001],
    ['the caller itself', DEMO_KEY, 4001],
  ])('refuses %s with the same 403 on every operation', async (_, key, id) => {
    const app = resellerApp();
    const before = books(app);
    const attempts = [
      post(app, TRANSFER, { to_organization_id: id, minutes: 1, cost_per_min: 0.5 }, key),
      post(app, REVERT, { from_organization_id: id, minutes: 1 }, key),
      post(app, CALCULATE, { minutes: 1, child_organization_id: id }, key),
      post(app, CALCULATE, { minutes: 1, is_revert: true, child_organization_id: id }, key),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual(notDirectChild(id));
    }
    expect(books(app)).toEqual(before);
  });
});

describe('reseller business errors', () => {
  it('refuses a transfer the reseller cannot pay, showing the available balance', async () => {
    const app = resellerApp();
    const before = books(app);
    const res = await post(app, TRANSFER, { to_organization_id: 4002, minutes: 1000, cost_per_min: 0.2 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'insufficient_balance',
      error_description: 'Insufficient balance: the transfer costs 100 and 61.813 is available.',
      available_balance: 61.813,
    });
    expect(books(app)).toEqual(before);
  });

  it('refuses a revert the child cannot cover, showing the child balance', async () => {
    const app = resellerApp();
    const before = books(app);
    const res = await post(app, REVERT, { from_organization_id: 4002, minutes: 51 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'insufficient_balance',
      error_description: 'Insufficient balance: the revert deducts 10.2 and 10 is available.',
      available_balance: 10,
    });
    expect(books(app)).toEqual(before);
  });

  it('refuses a price below the reseller rate, in transfer and calculate', async () => {
    const app = resellerApp();
    const before = books(app);
    const expected = {
      error: 'invalid_cost_per_min',
      error_description: 'cost_per_min 0.05 is below your reseller rate of 0.1.',
    };
    const transfer = await post(app, TRANSFER, { to_organization_id: 4002, minutes: 1, cost_per_min: 0.05 });
    expect(transfer.status).toBe(400);
    expect(transfer.body).toEqual(expected);
    const preview = await post(app, CALCULATE, { minutes: 1, cost_per_min: 0.05 });
    expect(preview.status).toBe(400);
    expect(preview.body).toEqual(expected);
    expect(books(app)).toEqual(before);
    // The child's price stays what it was.
    const revert = await post(app, CALCULATE, { minutes: 1, is_revert: true, child_organization_id: 4002 });
    expect(revert.body.deduction_amount).toBe(0.2);
  });

  it('accepts a price equal to the reseller rate (no margin)', async () => {
    const app = resellerApp();
    const res = await post(app, TRANSFER, { to_organization_id: 4003, minutes: 10, cost_per_min: 0.1 });
    expect(res.body).toMatchObject({ new_from_balance: 60.813, new_to_balance: 1 });
    expect(app.world.ledger.balance('reseller:platform', 'usd')).toBe(0n);
  });

  it('refuses figures a JSON number cannot carry exactly, before moving anything', async () => {
    const app = resellerApp();
    const before = books(app);
    const huge = { minutes: 599, cost_per_min: 12345678901.2345 };
    const expected = {
      error: 'invalid_request',
      error_description:
        'minutes: the amounts are too large to be carried exactly as JSON numbers; move fewer minutes or use a lower cost_per_min',
    };
    const transfer = await post(app, TRANSFER, { to_organization_id: 4002, ...huge });
    expect(transfer.status).toBe(400);
    expect(transfer.body).toEqual(expected);
    expect((await post(app, CALCULATE, huge)).body).toEqual(expected);
    expect(books(app)).toEqual(before);
  });

  it('requires child_organization_id for a revert preview', async () => {
    const app = resellerApp();
    const res = await post(app, CALCULATE, { minutes: 1, is_revert: true });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'child_organization_id: is required when is_revert is true',
    });
  });
});

describe('reseller field validation', () => {
  it('names every missing field', async () => {
    const app = resellerApp();
    const before = books(app);
    const res = await post(app, TRANSFER, {});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'to_organization_id: is required; minutes: is required; cost_per_min: is required',
    });
    expect(books(app)).toEqual(before);
  });

  it.each([
    [TRANSFER, { to_organization_id: 4002, minutes: 0, cost_per_min: 0.2 }, 'minutes: must be at least 1'],
    [
      TRANSFER,
      { to_organization_id: 4002, minutes: 1, cost_per_min: 0 },
      'cost_per_min: must be greater than 0',
    ],
    [REVERT, { from_organization_id: 4002, minutes: 1_000_001 }, 'minutes: must be at most 1000000'],
  ])('refuses out-of-range values on %s', async (path, json, description) => {
    const app = resellerApp();
    const res = await post(app, path, json);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: description });
  });

  it('refuses a price with more than 4 decimals, naming the field', async () => {
    const app = resellerApp();
    const before = books(app);
    const res = await post(app, TRANSFER, { to_organization_id: 4002, minutes: 1, cost_per_min: 0.12345 });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.error_description).toMatch(/^cost_per_min: /);
    expect(books(app)).toEqual(before);
  });

  it('answers malformed JSON in the family shape', async () => {
    const app = resellerApp();
    const res = await call(app, 'POST', TRANSFER, {
      bearer: DEMO_KEY,
      text: '{"minutes":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });
});
