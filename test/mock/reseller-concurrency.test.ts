import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { assertInvariants } from '../../mock/ledger/invariants.js';
import {
  ADD_USER,
  books,
  LOGS,
  ORGANIZATIONS,
  OTHER_KEY,
  post,
  resellerApp,
  slotsOf,
} from './reseller-support.js';
import { call } from './support.js';

const CONCURRENCY = '/api/v1/reseller/concurrency';
const carol = { name: 'Carol', email: 'carol@client.example', phone: '+14155550123', password: 'passw0rd!' };

// RESELLER_SEED names no limits: the pool of 4001 holds 10 free slots, children 4002 and 4003 have 5.
describe('reseller concurrency slots', () => {
  it("raises a child's limit from the pool and lowers it back at once, one journal entry each", async () => {
    const app = resellerApp();
    const up = await post(app, CONCURRENCY, { child_organization_id: 4002, new_limit: 8 });
    expect(up.status).toBe(200);
    expect(up.body).toEqual({
      success: true,
      message: 'Concurrency limit updated successfully.',
      child_limit: 8,
      reseller_available: 7,
    });
    const [entry] = app.world.ledger.journal({ family: 'reseller', limit: 1 }).entries;
    expect(entry?.operation).toBe('setChildConcurrency');
    expect(entry?.postings).toEqual([
      {
        debit: 'reseller:organization:4001',
        credit: 'reseller:organization:4002',
        asset: 'slots',
        amount: 3n,
      },
    ]);
    const down = await post(app, CONCURRENCY, { child_organization_id: 4002, new_limit: 2 });
    expect(down.body).toMatchObject({ child_limit: 2, reseller_available: 13 });
    expect([slotsOf(app, 4001), slotsOf(app, 4002), slotsOf(app, 4003)]).toEqual([13, 2, 5]);
    assertInvariants(app.world.ledger);
  });

  it('conserves slots: pool plus limits stay 20 through any sequence, none negative', async () => {
    const app = resellerApp();
    for (const [child, limit] of [
      [4002, 15],
      [4003, 0],
      [4002, 0],
      [4003, 15],
      [4002, 5],
    ] as const)
      await post(app, CONCURRENCY, { child_organization_id: child, new_limit: limit });
    expect([slotsOf(app, 4001), slotsOf(app, 4002), slotsOf(app, 4003)]).toEqual([0, 5, 15]);
    assertInvariants(app.world.ledger);
  });

  it('refuses a raise the pool cannot cover and changes nothing', async () => {
    const app = resellerApp();
    const before = books(app);
    const res = await post(app, CONCURRENCY, { child_organization_id: 4002, new_limit: 16 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'insufficient_concurrency',
      error_description:
        'Insufficient concurrency slots: raising the limit of organization 4002 from 5 to 16 needs 11 and your pool has 10 available.',
      reseller_available: 10,
    });
    expect(books(app)).toEqual(before);
    // Exactly the pool is enough.
    const all = await post(app, CONCURRENCY, { child_organization_id: 4002, new_limit: 15 });
    expect(all.body).toMatchObject({ child_limit: 15, reseller_available: 0 });
  });

  it('answers organizations that are not direct children with the same 403, moving nothing', async () => {
    const app = resellerApp();
    const before = books(app);
    for (const id of [4001, 5001, 5002, 999_999]) {
      const res = await post(app, CONCURRENCY, { child_organization_id: id, new_limit: 1 });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        error: 'forbidden',
        error_description: `Organization ${id} is not a direct child of your reseller organization.`,
      });
    }
    expect(books(app)).toEqual(before);
  });

  it('names invalid fields: a negative, fractional or missing limit', async () => {
    const app = resellerApp();
    const before = books(app);
    const negative = await post(app, CONCURRENCY, { child_organization_id: 4002, new_limit: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.error).toBe('invalid_request');
    expect(negative.body.error_description).toMatch(/^new_limit: /);
    const fraction = await post(app, CONCURRENCY, { child_organization_id: 4002, new_limit: 1.5 });
    expect(fraction.body.error_description).toMatch(/^new_limit: /);
    const missing = await post(app, CONCURRENCY, { child_organization_id: 4002 });
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'new_limit: is required' });
    expect(books(app)).toEqual(before);
  });

  it('replays a change with the same Idempotency-Key and refuses the key with another body', async () => {
    const app = resellerApp();
    const headers = { 'idempotency-key': 'slots-1' };
    const first = await post(
      app,
      CONCURRENCY,
      { child_organization_id: 4002, new_limit: 9 },
      'rs_demo',
      headers,
    );
    const after = books(app);
    const again = await post(
      app,
      CONCURRENCY,
      { child_organization_id: 4002, new_limit: 9 },
      'rs_demo',
      headers,
    );
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(books(app)).toEqual(after);
    const other = await post(
      app,
      CONCURRENCY,
      { child_organization_id: 4002, new_limit: 3 },
      'rs_demo',
      headers,
    );
    expect(other.status).toBe(422);
    expect(other.body.error).toBe('idempotency_key_reused');
    expect(books(app)).toEqual(after);
  });

  it('lists each change as a CH- log entry with money fields 0, the unchanged limit too', async () => {
    const app = resellerApp();
    await post(app, CONCURRENCY, { child_organization_id: 4003, new_limit: 7 });
    await post(app, CONCURRENCY, { child_organization_id: 4003, new_limit: 7 });
    const res = await call(app, 'GET', LOGS, { bearer: 'rs_demo' });
    const [same, raised] = res.body.data.logs;
    const reseller = { id: 4001, name: 'Demo Reseller' };
    expect(raised).toEqual({
      id: raised.id,
      transfer_reference: 'CH-20250601120000-4001-4003',
      reseller_organization: reseller,
      from_organization: reseller,
      to_organization: { id: 4003, name: 'Globex' },
      credit_amount: 0,
      cost_amount: 0,
      from_balance_before: 0,
      from_balance_after: 0,
      to_balance_before: 0,
      to_balance_after: 0,
      transfer_date: '2025-06-01T12:00:00+00:00',
      performed_by: { id: 4001, name: 'Demo Reseller', email: null },
      status: 'success',
      transaction_type: 'concurrency_change',
      channels_count: 2,
      previous_channels: 5,
      new_channels: 7,
      notes: 'Concurrency limit changed from 5 to 7',
    });
    expect(same).toMatchObject({ channels_count: 0, previous_channels: 7, new_channels: 7 });
    expect(app.world.ledger.entry(same.id)?.postings).toEqual([]);
    const lowered = await post(app, CONCURRENCY, { child_organization_id: 4003, new_limit: 1 });
    expect(lowered.body.reseller_available).toBe(14);
    const [last] = (await call(app, 'GET', LOGS, { bearer: 'rs_demo' })).body.data.logs;
    expect(last).toMatchObject({ channels_count: -6, previous_channels: 7, new_channels: 1 });
  });

  it('shows the pool as the reseller limit and each allocation as the child limit', async () => {
    const app = resellerApp();
    await post(app, CONCURRENCY, { child_organization_id: 4002, new_limit: 6 });
    const res = await call(app, 'GET', ORGANIZATIONS, { bearer: 'rs_demo' });
    expect(res.body.reseller_organization.concurrent_call_limit).toBe(9);
    expect(
      res.body.organizations.map((o: { concurrent_call_limit: number }) => o.concurrent_call_limit),
    ).toEqual([6, 5]);
  });

  it('keeps slots and logs through a snapshot round trip', async () => {
    const app = resellerApp();
    await post(app, CONCURRENCY, { child_organization_id: 4002, new_limit: 1 });
    const restored = new MockApp({ snapshot: JSON.parse(JSON.stringify(app.snapshot())) });
    expect(slotsOf(restored, 4002)).toBe(1);
    const res = await post(restored, CONCURRENCY, { child_organization_id: 4002, new_limit: 15 });
    expect(res.body).toMatchObject({ child_limit: 15, reseller_available: 0 });
    expect((await call(restored, 'GET', LOGS, { bearer: 'rs_demo' })).body.data.total_records).toBe(2);
  });
});

describe('reseller users/add concurrency', () => {
  it('takes concurrent_call_limit from the pool in the same entry as the welcome minutes', async () => {
    const app = resellerApp();
    const res = await post(app, ADD_USER, {
      ...carol,
      concurrent_call_limit: 4,
      welcome_minutes_to_credit: 10,
    });
    expect(res.status).toBe(200);
    const orgId = res.body.organization_id;
    expect([slotsOf(app, 4001), slotsOf(app, orgId)]).toEqual([6, 4]);
    const [entry] = app.world.ledger.journal({ family: 'reseller', limit: 1 }).entries;
    expect(entry?.postings.map((p) => p.asset)).toEqual(['usd', 'slots']);
    const [log] = (await call(app, 'GET', LOGS, { bearer: 'rs_demo' })).body.data.logs;
    expect(log).toMatchObject({
      transaction_type: 'credit_transfer',
      credit_amount: 1,
      cost_amount: -1,
      channels_count: 4,
      previous_channels: 0,
      new_channels: 4,
    });
    assertInvariants(app.world.ledger);
  });

  it('logs a slots-only allocation as a concurrency change', async () => {
    const app = resellerApp();
    const res = await post(app, ADD_USER, { ...carol, concurrent_call_limit: 2 });
    const [log] = (await call(app, 'GET', LOGS, { bearer: 'rs_demo' })).body.data.logs;
    expect(log).toMatchObject({
      transfer_reference: `CH-20250601120000-4001-${res.body.organization_id}`,
      transaction_type: 'concurrency_change',
      channels_count: 2,
    });
  });

  it('refuses a limit the pool cannot cover and creates nothing', async () => {
    const app = resellerApp();
    const before = books(app);
    const res = await post(app, ADD_USER, { ...carol, concurrent_call_limit: 11 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'insufficient_concurrency',
      error_description:
        'Insufficient concurrency slots: a concurrent_call_limit of 11 needs 11 and your pool has 10 available.',
      reseller_available: 10,
    });
    expect(books(app)).toEqual(before);
    const list = await call(app, 'GET', ORGANIZATIONS, { bearer: 'rs_demo' });
    expect(list.body.total_organizations).toBe(2);
    // Another reseller's pool is its own.
    expect((await post(app, ADD_USER, { ...carol, concurrent_call_limit: 10 }, OTHER_KEY)).status).toBe(200);
  });
});
