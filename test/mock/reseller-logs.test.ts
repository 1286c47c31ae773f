import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { ADD_USER, LOGS, OTHER_KEY, post, REVERT, resellerApp, TRANSFER } from './reseller-support.js';
import { call } from './support.js';

const DAY_SECONDS = 86_400;

/** Three transfers and a revert on three days: June 1st, 2nd (twice) and 3rd. */
async function history() {
  const app = resellerApp();
  const clock = app.world.ledger.clock;
  await post(app, TRANSFER, { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
  clock.advance(DAY_SECONDS * 1000);
  await post(app, TRANSFER, { to_organization_id: 4003, minutes: 10, cost_per_min: 0.15 });
  await post(app, REVERT, { from_organization_id: 4002, minutes: 10 });
  clock.advance(DAY_SECONDS * 1000);
  await post(app, TRANSFER, { to_organization_id: 4002, minutes: 5, cost_per_min: 0.3 });
  return app;
}

const logs = (app: Awaited<ReturnType<typeof history>>, query = {}, bearer = 'rs_demo') =>
  call(app, 'GET', LOGS, { bearer, query });

describe('reseller credit logs', () => {
  it('lists transfers and reverts newest first with their before/after balances', async () => {
    const app = await history();
    const res = await logs(app);
    expect(res.status).toBe(200);
    const { data } = res.body;
    expect(data).toMatchObject({ total_records: 4, page: 1, page_size: 20, total_pages: 1 });
    expect(data.logs.map((l: { transaction_type: string }) => l.transaction_type)).toEqual([
      'credit_transfer',
      'credit_revert',
      'credit_transfer',
      'credit_transfer',
    ]);
    const first = data.logs[3];
    // The entry shape of the public logs page (organization and performer objects, the
    // signed cost, `CT-` references, channel fields); the seed names no admin nor time zone.
    const reseller = { id: 4001, name: 'Demo Reseller' };
    expect(first).toEqual({
      id: first.id,
      transfer_reference: 'CT-20250601120000-4001-4002',
      reseller_organization: reseller,
      from_organization: reseller,
      to_organization: { id: 4002, name: 'Acme' },
      credit_amount: 4,
      cost_amount: -2,
      from_balance_before: 61.813,
      from_balance_after: 59.813,
      to_balance_before: 10,
      to_balance_after: 14,
      transfer_date: '2025-06-01T12:00:00+00:00',
      performed_by: { id: 4001, name: 'Demo Reseller', email: null },
      status: 'success',
      transaction_type: 'credit_transfer',
      channels_count: 0,
      previous_channels: 0,
      new_channels: 0,
      notes: 'Transfer of 20 minutes at 0.20/min',
    });
    expect(app.world.ledger.entry(first.id)?.operation).toBe('transferCreditsToChild');
    // A revert: the child's balance change and the reseller's refund, with their signs.
    expect(data.logs[1]).toMatchObject({
      transfer_reference: 'CR-20250602120000-4001-4002',
      from_organization: { id: 4002, name: 'Acme' },
      to_organization: reseller,
      credit_amount: -2,
      cost_amount: 1,
      from_balance_before: 14,
      from_balance_after: 12,
      to_balance_before: 58.813,
      to_balance_after: 59.813,
      transfer_date: '2025-06-02T12:00:00+00:00',
      notes: 'Revert of 10 minutes at 0.20/min',
    });
  });

  it('pages by number', async () => {
    const app = await history();
    const all = (await logs(app)).body.data.logs.map((l: { id: number }) => l.id);
    const one = await logs(app, { page: 1, page_size: 3 });
    const two = await logs(app, { page: 2, page_size: 3 });
    expect(one.body.data).toMatchObject({ total_records: 4, page: 1, page_size: 3, total_pages: 2 });
    expect(two.body.data).toMatchObject({ total_records: 4, page: 2, page_size: 3, total_pages: 2 });
    expect([...one.body.data.logs, ...two.body.data.logs].map((l: { id: number }) => l.id)).toEqual(all);
    const past = await logs(app, { page: 3, page_size: 3 });
    expect(past.body.data).toEqual({ logs: [], total_records: 4, page: 3, page_size: 3, total_pages: 2 });
  });

  it('filters by inclusive UTC dates', async () => {
    const app = await history();
    const day2 = await logs(app, { date_from: '2025-06-02', date_to: '2025-06-02' });
    expect(day2.body.data.total_records).toBe(2);
    expect(day2.body.data.logs.map((l: { transfer_date: string }) => l.transfer_date)).toEqual([
      '2025-06-02T12:00:00+00:00',
      '2025-06-02T12:00:00+00:00',
    ]);
    expect((await logs(app, { date_from: '2025-06-02' })).body.data.total_records).toBe(3);
    expect((await logs(app, { date_to: '2025-06-01' })).body.data.total_records).toBe(1);
    const paged = await logs(app, { date_from: '2025-06-02', page: 2, page_size: 2 });
    expect(paged.body.data).toMatchObject({ total_records: 3, total_pages: 2 });
    expect(paged.body.data.logs.map((l: { transaction_type: string }) => l.transaction_type)).toEqual([
      'credit_transfer',
    ]);
    const none = await logs(app, { date_from: '2025-07-01' });
    expect(none.body.data).toEqual({ logs: [], total_records: 0, page: 1, page_size: 20, total_pages: 0 });
  });

  it('refuses date_to before date_from and page_size over 100', async () => {
    const app = await history();
    const dates = await logs(app, { date_from: '2025-06-03', date_to: '2025-06-02' });
    expect(dates.status).toBe(400);
    expect(dates.body).toEqual({
      error: 'invalid_request',
      error_description: 'date_to: must not be before date_from',
    });
    const size = await logs(app, { page_size: 101 });
    expect(size.status).toBe(400);
    expect(size.body).toEqual({
      error: 'invalid_request',
      error_description: 'page_size: must be at most 100',
    });
  });

  it('shows a reseller only its own movements, and lists welcome minutes', async () => {
    const app = await history();
    expect((await logs(app, {}, OTHER_KEY)).body.data.total_records).toBe(0);
    await post(
      app,
      ADD_USER,
      {
        name: 'Eve',
        email: 'eve@x.example',
        phone: '1',
        password: 'password1',
        welcome_minutes_to_credit: 3,
      },
      OTHER_KEY,
    );
    const res = await logs(app, {}, OTHER_KEY);
    expect(res.body.data.logs).toEqual([
      expect.objectContaining({
        reseller_organization: { id: 5001, name: 'Other Reseller' },
        from_organization: { id: 5001, name: 'Other Reseller' },
        to_organization: { id: 5003, name: "Eve's Organization" },
        credit_amount: 0.36,
        cost_amount: -0.36,
        performed_by: { id: 5001, name: 'Other Reseller', email: null },
        transaction_type: 'credit_transfer',
        notes: 'Welcome transfer of 3 minutes at 0.12/min for user 9001',
      }),
    ]);
    expect((await logs(app)).body.data.total_records).toBe(4);
  });

  it('answers the same logs after a snapshot round trip', async () => {
    const app = await history();
    const restored = new MockApp({ snapshot: JSON.parse(JSON.stringify(app.snapshot())) });
    expect((await logs(restored)).body).toEqual((await logs(app)).body);
  });

  it('keeps moving and logging after a snapshot round trip', async () => {
    const app = await history();
    const restored = new MockApp({ snapshot: JSON.parse(JSON.stringify(app.snapshot())) });
    const res = await post(restored, TRANSFER, { to_organization_id: 4003, minutes: 1, cost_per_min: 0.2 });
    expect(res.status).toBe(200);
    expect((await logs(restored)).body.data.total_records).toBe(5);
  });
});
