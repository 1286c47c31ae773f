import { describe, expect, it } from 'vitest';
import { billing } from '../../mock/families/index.js';
import {
  appWith,
  assertInvariants,
  balanceUsd,
  billingCall,
  DEMO_SESSION,
  invoices,
  usage,
} from './billing-support.js';

const AUTO_RELOAD = '/api/v1/billing/wallet/auto-reload';

function configure(app: Parameters<typeof billingCall>[0], json: Record<string, unknown>) {
  return billingCall(app, 'PUT', AUTO_RELOAD, { bearer: DEMO_SESSION, json });
}

describe('billing auto-reload settings', () => {
  it('answers the wallet with the new settings', async () => {
    const app = appWith({});
    const result = await configure(app, { enabled: true, thresholdUsd: 20, amountUsd: 50 });
    expect(result.body).toEqual({
      success: true,
      data: { balanceUsd: 50, autoReloadEnabled: true, autoReloadThresholdUsd: 20, autoReloadAmountUsd: 50 },
    });
  });

  it('does not top up when configured, only after a debit', async () => {
    const app = appWith({ credits: 100 });
    await configure(app, { enabled: true, thresholdUsd: 20, amountUsd: 50 });
    expect(await balanceUsd(app)).toBe(1);
    await usage(app, { channel: 'chat', quantity: 1 });
    expect(await balanceUsd(app)).toBe(50.99);
  });
});

describe('billing auto-reload after debits', () => {
  it('tops up amountUsd when a usage debit leaves the balance below the threshold', async () => {
    // 21 USD, threshold 20, pay-as-you-go voice at 15 credits a minute.
    const app = appWith({ credits: 2100, autoReload: { enabled: true, thresholdUsd: 20, amountUsd: 50 } });
    await usage(app, { channel: 'voice', quantity: 6 }); // 90 credits -> 20.10 USD
    expect(await balanceUsd(app)).toBe(20.1);
    await usage(app, { channel: 'voice', quantity: 1 }); // 15 credits -> 19.95, below: +50
    expect(await balanceUsd(app)).toBe(69.95);
    expect(await invoices(app)).toMatchObject([{ amountUsd: 50, description: 'Wallet auto-reload' }]);
    const [entry] = app.world.ledger.journal({ family: 'billing', limit: 1 }).entries;
    expect(entry).toMatchObject({ operation: 'autoReload', metadata: { paymentId: 'pay_1' } });
    assertInvariants(app.world.ledger);
  });

  it('does not top up when the balance lands exactly on the threshold, or when disabled', async () => {
    const app = appWith({ credits: 2015, autoReload: { enabled: true, thresholdUsd: 20, amountUsd: 50 } });
    await usage(app, { channel: 'voice', quantity: 1 });
    expect(await balanceUsd(app)).toBe(20);
    await configure(app, { enabled: false, thresholdUsd: 20, amountUsd: 50 });
    await usage(app, { channel: 'voice', quantity: 1 });
    expect(await balanceUsd(app)).toBe(19.85);
  });

  it('never starts a second top-up while one is pending (manual settlement)', async () => {
    const app = appWith({
      credits: 2000,
      settlement: 'manual',
      autoReload: { enabled: true, thresholdUsd: 20, amountUsd: 50 },
    });
    await usage(app, { channel: 'chat', quantity: 1 }); // 19.99: starts pay_1, pending
    await usage(app, { channel: 'chat', quantity: 1 });
    await usage(app, { channel: 'chat', quantity: 1 });
    expect(Object.keys(app.stateOf(billing).payments)).toEqual(['pay_1']);
    expect(await balanceUsd(app)).toBe(19.97);

    const settled = await billingCall(app, 'POST', '/_mock/billing/payments/pay_1/settle');
    expect(settled.body.status).toBe('succeeded');
    expect(await balanceUsd(app)).toBe(69.97);
    // Settled: the next debit below the threshold may start another one.
    await usage(app, { channel: 'voice', quantity: 400 }); // 6000 credits -> 9.97
    expect(Object.keys(app.stateOf(billing).payments)).toEqual(['pay_1', 'pay_2']);
    expect(app.stateOf(billing).payments.pay_2).toMatchObject({ status: 'pending', amountCents: 5000 });
  });

  it('starts a new auto-reload after the pending one failed', async () => {
    const app = appWith({
      credits: 2000,
      settlement: 'manual',
      autoReload: { enabled: true, thresholdUsd: 20, amountUsd: 50 },
    });
    await usage(app, { channel: 'chat', quantity: 1 });
    await billingCall(app, 'POST', '/_mock/billing/payments/pay_1/fail');
    expect(await balanceUsd(app)).toBe(19.99);
    await usage(app, { channel: 'chat', quantity: 1 });
    expect(app.stateOf(billing).payments.pay_2).toMatchObject({ status: 'pending', autoReload: true });
  });

  it('also reloads after a plan charge', async () => {
    const app = appWith({ credits: 5000, autoReload: { enabled: true, thresholdUsd: 10, amountUsd: 100 } });
    const result = await billingCall(app, 'POST', '/api/v1/billing/subscription', {
      bearer: DEMO_SESSION,
      json: { planId: 'starter' },
    });
    expect(result.status).toBe(200);
    expect(await balanceUsd(app)).toBe(101); // 50 - 49 + 100
  });
});
