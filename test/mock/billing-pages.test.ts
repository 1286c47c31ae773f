import { describe, expect, it } from 'vitest';
import type { MockApp } from '../../mock/app.js';
import { appWith, billingCall, DEMO_SESSION, demoApp, usage } from './billing-support.js';

const MINUTE_MS = 60_000;

/** One list answer: `data` is the array of the window (no cursor). */
async function list(app: MockApp, path: string, query: Record<string, string | number>) {
  const result = await billingCall(app, 'GET', path, { bearer: DEMO_SESSION, query });
  expect(result.status).toBe(200);
  expect(Array.isArray(result.body.data)).toBe(true);
  const records: { id?: string; date?: string; channel?: string }[] = result.body.data;
  return records;
}

/** 25 chat items one minute apart from 2025-06-01T12:00Z: ui_1..ui_25. */
async function chatMinutes(app: MockApp, count = 25) {
  for (let i = 0; i < count; i += 1) {
    await usage(app, { channel: 'chat', quantity: 1 });
    app.world.ledger.clock.advance(MINUTE_MS);
  }
}

describe('billing usage items window', () => {
  it('lists newest first with no duplicates or gaps, every item of the window in one array', async () => {
    const app = demoApp();
    await chatMinutes(app);
    const items = await list(app, '/api/v1/billing/usage/items', {});
    expect(items.map((item) => item.id)).toEqual(Array.from({ length: 25 }, (_, i) => `ui_${25 - i}`));
  });

  it('filters by the from (inclusive) .. to (exclusive) window', async () => {
    const app = demoApp();
    await chatMinutes(app);
    const items = await list(app, '/api/v1/billing/usage/items', {
      from: '2025-06-01T12:05:00Z',
      to: '2025-06-01T12:15:00Z',
    });
    expect(items.map((item) => item.id)).toEqual([
      'ui_15',
      'ui_14',
      'ui_13',
      'ui_12',
      'ui_11',
      'ui_10',
      'ui_9',
      'ui_8',
      'ui_7',
      'ui_6',
    ]);
  });

  it('keeps items in time order when the clock was set backwards', async () => {
    const app = demoApp();
    await usage(app, { channel: 'chat', quantity: 1 }); // ui_1 at 12:00
    app.world.ledger.clock.set('2025-06-01T13:00:00Z');
    await usage(app, { channel: 'chat', quantity: 1 }); // ui_2 at 13:00
    app.world.ledger.clock.set('2025-06-01T12:30:00Z');
    await usage(app, { channel: 'chat', quantity: 1 }); // ui_3 at 12:30
    const items = await list(app, '/api/v1/billing/usage/items', {});
    expect(items.map((item) => item.id)).toEqual(['ui_2', 'ui_3', 'ui_1']);
  });

  it('bounds the window to 31 days: the default is the last 31 days, one bound sets the other', async () => {
    const app = demoApp();
    await usage(app, { channel: 'chat', quantity: 1 }); // ui_1 at 2025-06-01T12:00
    app.world.ledger.clock.set('2025-07-02T12:00:00Z');
    await usage(app, { channel: 'chat', quantity: 1 }); // ui_2, 31 days later
    app.world.ledger.clock.set('2025-07-02T12:00:01Z');
    const ids = async (query: Record<string, string>) =>
      (await list(app, '/api/v1/billing/usage/items', query)).map((item) => item.id);
    expect(await ids({})).toEqual(['ui_2']);
    expect(await ids({ from: '2025-06-01T12:00:00Z' })).toEqual(['ui_1']);
    expect(await ids({ to: '2025-07-02T12:00:00.001Z' })).toEqual(['ui_2']);
    expect(await ids({ to: '2025-07-02T12:00:00Z' })).toEqual(['ui_1']);
    expect(await ids({ from: '2025-06-01T12:00:00Z', to: '2025-07-02T12:00:00Z' })).toEqual(['ui_1']);
  });

  it('answers 400 naming to for a window longer than 31 days or one that ends before it starts', async () => {
    const app = demoApp();
    const long = await billingCall(app, 'GET', '/api/v1/billing/usage/items', {
      bearer: DEMO_SESSION,
      query: { from: '2025-06-01T00:00:00Z', to: '2025-07-02T00:00:00.001Z' },
    });
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([{ field: 'to', message: 'to must be at most 31 days after from' }]);
    const window = await billingCall(app, 'GET', '/api/v1/billing/usage/items', {
      bearer: DEMO_SESSION,
      query: { from: '2025-06-02T00:00:00Z', to: '2025-06-01T00:00:00Z' },
    });
    expect(window.body.errors[0].field).toBe('to');
  });
});

describe('billing rolled-up usage', () => {
  async function threeDays(app: MockApp) {
    // June 1: 2 voice calls, 3 chats; June 2 (10:00): 1 transfer; June 3 (08:00): 1 chat.
    await usage(app, { channel: 'voice', quantity: 2 });
    await usage(app, { channel: 'voice', quantity: 1.5 });
    for (let i = 0; i < 3; i += 1) await usage(app, { channel: 'chat', quantity: 1 });
    app.world.ledger.clock.set('2025-06-02T10:00:00Z');
    await usage(app, { channel: 'transfer_minute', quantity: 3 });
    app.world.ledger.clock.set('2025-06-03T08:00:00Z');
    await usage(app, { channel: 'chat', quantity: 1 });
  }

  it('groups items per UTC day and channel, newest day first, without gaps', async () => {
    const app = demoApp();
    await threeDays(app);
    const records = await list(app, '/api/v1/billing/usage', {});
    expect(records).toEqual([
      { date: '2025-06-03', channel: 'chat', quantity: 1, credits: 1, itemCount: 1 },
      { date: '2025-06-02', channel: 'transfer_minute', quantity: 3, credits: 30, itemCount: 1 },
      { date: '2025-06-01', channel: 'voice', quantity: 3.5, credits: 52.5, itemCount: 2 },
      { date: '2025-06-01', channel: 'chat', quantity: 3, credits: 3, itemCount: 3 },
    ]);
  });

  it('counts only the items inside a window that cuts days', async () => {
    const app = demoApp();
    await threeDays(app);
    app.world.ledger.clock.set('2025-06-03T20:00:00Z');
    await usage(app, { channel: 'chat', quantity: 5 });
    const records = await list(app, '/api/v1/billing/usage', {
      from: '2025-06-01T12:00:00.001Z',
      to: '2025-06-03T12:00:00Z',
    });
    // All June 1 items are at 12:00:00.000, before the window; June 3 keeps only the 08:00 chat.
    expect(records).toEqual([
      { date: '2025-06-03', channel: 'chat', quantity: 1, credits: 1, itemCount: 1 },
      { date: '2025-06-02', channel: 'transfer_minute', quantity: 3, credits: 30, itemCount: 1 },
    ]);
    const sameDay = await list(app, '/api/v1/billing/usage', {
      from: '2025-06-03T07:00:00Z',
      to: '2025-06-03T21:00:00Z',
    });
    expect(sameDay).toEqual([{ date: '2025-06-03', channel: 'chat', quantity: 6, credits: 6, itemCount: 2 }]);
  });
});

describe('billing invoices window', () => {
  it('lists invoices newest first', async () => {
    const app = appWith({});
    for (let i = 0; i < 5; i += 1) {
      await billingCall(app, 'POST', '/api/v1/billing/wallet/topup', {
        bearer: DEMO_SESSION,
        json: { amountUsd: 5 + i },
      });
      app.world.ledger.clock.advance(MINUTE_MS);
    }
    const invoices = await list(app, '/api/v1/billing/invoices', {});
    expect(invoices.map((invoice) => invoice.id)).toEqual(['inv_5', 'inv_4', 'inv_3', 'inv_2', 'inv_1']);
  });
});
