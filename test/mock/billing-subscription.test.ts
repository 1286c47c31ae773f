import { describe, expect, it } from 'vitest';
import {
  appWith,
  balanceUsd,
  billingCall,
  DEMO_READONLY_KEY,
  DEMO_SESSION,
  demoApp,
  expectUnchanged,
  invoices,
  subscription,
  usage,
} from './billing-support.js';

const SUBSCRIPTION = '/api/v1/billing/subscription';
const change = (app: Parameters<typeof billingCall>[0], planId: string | null) =>
  billingCall(app, 'POST', SUBSCRIPTION, { bearer: DEMO_SESSION, json: { planId } });

describe('billing plans', () => {
  it('lists the documented default plans as an array', async () => {
    const app = demoApp();
    const result = await billingCall(app, 'GET', '/api/v1/billing/plans', { bearer: DEMO_READONLY_KEY });
    expect(result.body).toEqual({
      success: true,
      data: [
        { id: 'starter', name: 'Starter', monthlyPriceUsd: 49, includedMinutes: 500, overageRate: 12 },
        { id: 'growth', name: 'Growth', monthlyPriceUsd: 149, includedMinutes: 2000, overageRate: 10 },
        { id: 'scale', name: 'Scale', monthlyPriceUsd: 499, includedMinutes: 8000, overageRate: 8 },
      ],
    });
  });

  it('lists the seed plans when given, and meters at their rates', async () => {
    const plans = [
      { id: 'tiny', name: 'Tiny', monthlyPriceUsd: 9.99, includedMinutes: 10, overageRate: 13.5 },
    ];
    const app = appWith({ plans, planId: 'tiny' });
    const result = await billingCall(app, 'GET', '/api/v1/billing/plans', { bearer: DEMO_SESSION });
    expect(result.body.data).toEqual(plans);
    expect((await usage(app, { channel: 'voice', quantity: 11 })).body.credits).toBe(13.5);
  });
});

describe('billing subscription', () => {
  it('shows pay-as-you-go with the current UTC month as the period', async () => {
    expect(await subscription(demoApp())).toEqual({
      plan: null,
      includedMinutesRemaining: 0,
      currentPeriodStart: '2025-06-01T00:00:00Z',
      currentPeriodEnd: '2025-07-01T00:00:00Z',
    });
  });

  it('charges the monthly price at once, resets the minutes and issues a paid invoice', async () => {
    const app = demoApp();
    const result = await change(app, 'starter');
    expect(result.body).toEqual({
      success: true,
      data: {
        plan: { id: 'starter', name: 'Starter', monthlyPriceUsd: 49, includedMinutes: 500, overageRate: 12 },
        includedMinutesRemaining: 500,
        currentPeriodStart: '2025-06-01T00:00:00Z',
        currentPeriodEnd: '2025-07-01T00:00:00Z',
      },
    });
    expect(await balanceUsd(app)).toBe(1);
    expect(await invoices(app)).toMatchObject([
      { id: 'inv_1', amountUsd: 49, status: 'paid', description: 'Starter plan, June 2025' },
    ]);
    const [entry] = app.world.ledger.journal({ family: 'billing', limit: 1 }).entries;
    expect(entry).toMatchObject({ operation: 'changeSubscription', metadata: { planId: 'starter' } });
  });

  it('resets the included minutes when changing plan mid-month', async () => {
    const app = appWith({ credits: 20000, planId: 'starter' });
    await usage(app, { channel: 'voice', quantity: 100 });
    await change(app, 'growth');
    expect(await subscription(app)).toMatchObject({ plan: { id: 'growth' }, includedMinutesRemaining: 2000 });
    expect(await balanceUsd(app)).toBe(51);
  });

  it('answers 402 when the wallet cannot cover the price, and nothing changes', async () => {
    const app = appWith({ credits: 1000 });
    await expectUnchanged(app, async () => {
      const result = await change(app, 'starter');
      expect(result).toMatchObject({
        status: 402,
        body: {
          type: 'https://docs.flowyte.com/errors/insufficient_funds',
          code: 'insufficient_funds',
          title: 'Payment Required',
          status: 402,
          detail: 'The wallet balance of 10 USD cannot cover the monthly price of 49 USD.',
        },
      });
    });
    expect((await subscription(app)).plan).toBeNull();
    expect(await invoices(app)).toEqual([]);
  });

  it('answers 400 naming planId for an unknown plan', async () => {
    const app = demoApp();
    await expectUnchanged(app, async () => {
      const result = await change(app, 'platinum');
      expect(result.body).toEqual({
        type: 'about:blank',
        code: 'validation_error',
        title: 'Bad Request',
        status: 400,
        detail: 'Invalid request: planId: must be a known plan id or null.',
        errors: [{ field: 'planId', message: 'planId must be a known plan id or null' }],
        // The request path, as docs.flowyte.com/resources/errors shows `instance`.
        instance: '/api/v1/billing/subscription',
      });
    });
  });

  it('goes back to pay-as-you-go with null, free of charge', async () => {
    const app = appWith({ planId: 'starter' });
    await expectUnchanged(app, async () => {
      const result = await change(app, null);
      expect(result.body.data).toMatchObject({ plan: null, includedMinutesRemaining: 0 });
    });
    expect((await usage(app, { channel: 'voice', quantity: 1 })).body.credits).toBe(15);
  });
});
