import { describe, expect, it } from 'vitest';
import { billing } from '../../mock/families/index.js';
import {
  appWith,
  assertInvariants,
  balanceUsd,
  billingCall,
  invoices,
  items,
  itemsSince,
  subscription,
  usage,
} from './billing-support.js';

const JULY = Date.parse('2025-07-01T00:00:00Z');

describe('billing month boundary: number rentals', () => {
  it('charges numbers x 150 credits as rental usage items at the boundary instant', async () => {
    const app = appWith({ numbers: 2 });
    app.world.ledger.clock.set('2025-07-03T09:00:00Z');
    expect(await balanceUsd(app)).toBe(47);
    expect(await items(app)).toEqual([
      {
        id: 'ui_1',
        time: '2025-07-01T00:00:00Z',
        type: 'rental',
        channel: 'number',
        quantity: 2,
        credits: 300,
        description: 'Phone number rental, 2 numbers, July 2025',
        agentId: null,
      },
    ]);
    const [entry] = app.world.ledger.journal({ family: 'billing', limit: 1 }).entries;
    expect(entry).toMatchObject({ operation: 'rental', timeMs: JULY });
    assertInvariants(app.world.ledger);
  });

  it('charges once per boundary crossed, in order', async () => {
    const app = appWith({ numbers: 1 });
    app.world.ledger.clock.advance(92 * 86_400_000); // June 1 + 92 days: Sept 1 12:00
    const rentals = await itemsSince(app, '2025-06-01T00:00:00Z');
    expect(rentals.map((item) => (item as { time: string }).time)).toEqual([
      '2025-09-01T00:00:00Z',
      '2025-08-01T00:00:00Z',
      '2025-07-01T00:00:00Z',
    ]);
    expect(rentals[2]).toHaveProperty('description', 'Phone number rental, July 2025');
    expect(await balanceUsd(app)).toBe(45.5);
  });

  it('releases the numbers when the wallet cannot pay their rental', async () => {
    const app = appWith({ credits: 100, numbers: 1 });
    app.world.ledger.clock.set('2025-07-01T00:00:00Z');
    expect(await items(app)).toEqual([]);
    expect(await balanceUsd(app)).toBe(1);
    expect(app.stateOf(billing).organizations.org_demo?.numbers).toBe(0);
  });
});

describe('billing month boundary: plan renewals', () => {
  it('charges the monthly price, resets the included minutes and issues an invoice', async () => {
    const app = appWith({ credits: 10000, planId: 'starter' });
    await usage(app, { channel: 'voice', quantity: 120 });
    expect((await subscription(app)).includedMinutesRemaining).toBe(380);
    app.world.ledger.clock.set('2025-07-01T00:00:00Z');
    expect(await subscription(app)).toMatchObject({
      plan: { id: 'starter' },
      includedMinutesRemaining: 500,
      currentPeriodStart: '2025-07-01T00:00:00Z',
      currentPeriodEnd: '2025-08-01T00:00:00Z',
    });
    expect(await balanceUsd(app)).toBe(51);
    expect(await invoices(app)).toMatchObject([
      { createdAt: '2025-07-01T00:00:00Z', amountUsd: 49, description: 'Starter plan, July 2025' },
    ]);
    const [entry] = app.world.ledger.journal({ family: 'billing', limit: 1 }).entries;
    expect(entry).toMatchObject({ operation: 'renewal', timeMs: JULY, metadata: { planId: 'starter' } });
  });

  it('drops to pay-as-you-go when the wallet cannot cover the renewal', async () => {
    const app = appWith({ credits: 4000, planId: 'starter' });
    await usage(app, { channel: 'voice', quantity: 10 });
    app.world.ledger.clock.set('2025-07-15T00:00:00Z');
    expect(await subscription(app)).toMatchObject({ plan: null, includedMinutesRemaining: 0 });
    expect(await balanceUsd(app)).toBe(40);
    expect(await invoices(app)).toEqual([]);
    expect((await usage(app, { channel: 'voice', quantity: 1 })).body.credits).toBe(15);
  });

  it('charges rentals before the plan, and each renewal at its own boundary', async () => {
    const app = appWith({ credits: 10000, planId: 'starter', numbers: 1 });
    app.world.ledger.clock.set('2025-08-02T00:00:00Z');
    // Two boundaries x (150 credits rental + 4900 credits plan) = 10100 > 10000: August drops the plan.
    const entries = app.world.ledger
      .journal({ family: 'billing', limit: 1000 })
      .entries.filter((e) => e.operation === 'rental' || e.operation === 'renewal')
      .reverse();
    expect(entries.map((e) => [e.operation, new Date(e.timeMs).toISOString()])).toEqual([
      ['rental', '2025-07-01T00:00:00.000Z'],
      ['renewal', '2025-07-01T00:00:00.000Z'],
      ['rental', '2025-08-01T00:00:00.000Z'],
    ]);
    expect((await subscription(app)).plan).toBeNull();
    expect(await balanceUsd(app)).toBe(48); // 10000 - 150 - 4900 - 150 = 4800 credits
    assertInvariants(app.world.ledger);
  });

  it('fires nothing when the clock moves backwards, and again when it crosses forward', async () => {
    const app = appWith({ numbers: 1 });
    app.world.ledger.clock.set('2025-05-20T00:00:00Z');
    expect(await items(app)).toEqual([]);
    app.world.ledger.clock.set('2025-06-02T00:00:00Z');
    expect(await items(app)).toMatchObject([
      { time: '2025-06-01T00:00:00Z', description: 'Phone number rental, June 2025' },
    ]);
  });

  it('moves the clock through the control API too', async () => {
    const app = appWith({ numbers: 1 });
    const result = await billingCall(app, 'POST', '/_mock/clock', { json: { now: '2025-07-01T00:00:00Z' } });
    expect(result.status).toBe(200);
    expect(await balanceUsd(app)).toBe(48.5);
  });
});
