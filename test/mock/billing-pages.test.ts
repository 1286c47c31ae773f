import { describe, expect, it } from 'vitest';
import type { MockApp } from '../../mock/app.js';
import { appWith, billingCall, DEMO_SESSION, demoApp, usage } from './billing-support.js';

const MINUTE_MS = 60_000;

/** All pages of a list, following nextCursor. */
async function allPages(app: MockApp, path: string, query: Record<string, string | number>) {
  const pages: { id?: string; date?: string; channel?: string }[][] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard += 1) {
    const result = await billingCall(app, 'GET', path, {
      bearer: DEMO_SESSION,
      query: cursor === null ? query : { ...query, cursor },
    });
    expect(result.status).toBe(200);
    pages.push(result.body.data.items);
    cursor = result.body.data.nextCursor;
    if (cursor === null) return pages;
  }
  throw new Error('too many pages');
}

/** 25 chat items one minute apart from 2025-06-01T12:00Z: ui_1..ui_25. */
async function chatMinutes(app: MockApp, count = 25) {
  for (let i = 0; i < count; i += 1) {
    await usage(app, { channel: 'chat', quantity: 1 });
    app.world.ledger.clock.advance(MINUTE_MS);
  }
}

describe('billing usage items pagination', () => {
  it('pages newest first with no duplicates or gaps, nextCursor null on the last page', async () => {
    const app = demoApp();
    await chatMinutes(app);
    const pages = await allPages(app, '/api/v1/billing/usage/items', { limit: 10 });
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    const ids = pages.flat().map((item) => item.id);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `ui_${25 - i}`));
  });

  it('answers an exact last page with nextCursor null, and 20 items by default', async () => {
    const app = demoApp();
    await chatMinutes(app, 20);
    const pages = await allPages(app, '/api/v1/billing/usage/items', {});
    expect(pages.map((page) => page.length)).toEqual([20]);
  });

  it('filters by the from (inclusive) .. to (exclusive) window', async () => {
    const app = demoApp();
    await chatMinutes(app);
    const pages = await allPages(app, '/api/v1/billing/usage/items', {
      from: '2025-06-01T12:05:00Z',
      to: '2025-06-01T12:15:00Z',
      limit: 4,
    });
    expect(pages.flat().map((item) => item.id)).toEqual([
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
    const pages = await allPages(app, '/api/v1/billing/usage/items', { limit: 1 });
    expect(pages.flat().map((item) => item.id)).toEqual(['ui_2', 'ui_3', 'ui_1']);
  });

  it('answers 400 naming cursor for a cursor that is not one of this list', async () => {
    const app = demoApp();
    await chatMinutes(app, 3);
    const invoicesCursor = btoa(JSON.stringify({ k: 'invoices', t: 0, n: 1 }));
    for (const cursor of ['garbage', invoicesCursor]) {
      const result = await billingCall(app, 'GET', '/api/v1/billing/usage/items', {
        bearer: DEMO_SESSION,
        query: { cursor },
      });
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([
        { field: 'cursor', message: 'cursor must be the nextCursor of a previous page of this list' },
      ]);
    }
  });

  it('answers 400 for a limit over 100 or a window that ends before it starts', async () => {
    const app = demoApp();
    const limit = await billingCall(app, 'GET', '/api/v1/billing/usage/items', {
      bearer: DEMO_SESSION,
      query: { limit: 101 },
    });
    expect(limit.body.errors).toEqual([{ field: 'limit', message: 'limit must be at most 100' }]);
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

  it('groups items per UTC day and channel, newest day first, paged without gaps', async () => {
    const app = demoApp();
    await threeDays(app);
    const pages = await allPages(app, '/api/v1/billing/usage', { limit: 2 });
    expect(pages.map((page) => page.length)).toEqual([2, 2]);
    expect(pages.flat()).toEqual([
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
    const pages = await allPages(app, '/api/v1/billing/usage', {
      from: '2025-06-01T12:00:00.001Z',
      to: '2025-06-03T12:00:00Z',
      limit: 1,
    });
    // All June 1 items are at 12:00:00.000, before the window; June 3 keeps only the 08:00 chat.
    expect(pages.flat()).toEqual([
      { date: '2025-06-03', channel: 'chat', quantity: 1, credits: 1, itemCount: 1 },
      { date: '2025-06-02', channel: 'transfer_minute', quantity: 3, credits: 30, itemCount: 1 },
    ]);
    const sameDay = await allPages(app, '/api/v1/billing/usage', {
      from: '2025-06-03T07:00:00Z',
      to: '2025-06-03T21:00:00Z',
    });
    expect(sameDay.flat()).toEqual([
      { date: '2025-06-03', channel: 'chat', quantity: 6, credits: 6, itemCount: 2 },
    ]);
  });
});

describe('billing invoices pagination', () => {
  it('pages invoices newest first', async () => {
    const app = appWith({});
    for (let i = 0; i < 5; i += 1) {
      await billingCall(app, 'POST', '/api/v1/billing/wallet/topup', {
        bearer: DEMO_SESSION,
        json: { amountUsd: 5 + i },
      });
      app.world.ledger.clock.advance(MINUTE_MS);
    }
    const pages = await allPages(app, '/api/v1/billing/invoices', { limit: 2 });
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((invoice) => invoice.id)).toEqual(['inv_5', 'inv_4', 'inv_3', 'inv_2', 'inv_1']);
  });
});
