import { describe, expect, it } from 'vitest';
import {
  assertInvariants,
  balanceUsd,
  billingCall,
  DEMO_SESSION,
  demoApp,
  expectUnchanged,
  invoices,
  MANUAL_SESSION,
} from './billing-support.js';

const TOPUP = '/api/v1/billing/wallet/topup';

describe('billing top-up, immediate settlement', () => {
  it('lands the credits at once, answers the payment and issues a paid invoice', async () => {
    const app = demoApp();
    const result = await billingCall(app, 'POST', TOPUP, { bearer: DEMO_SESSION, json: { amountUsd: 25.5 } });
    expect(result.status).toBe(200);
    expect(result.body.data).toMatchObject({ paymentId: 'pay_1', status: 'succeeded', amountUsd: 25.5 });
    expect(result.body.data.clientSecret).toMatch(/^pay_1_secret_[a-z0-9]+$/);
    expect(await balanceUsd(app)).toBe(75.5);
    expect(await invoices(app)).toEqual([
      {
        id: 'inv_1',
        number: 'LL-000001',
        createdAt: '2025-06-01T12:00:00Z',
        amountUsd: 25.5,
        status: 'paid',
        description: 'Wallet top-up',
        pdfUrl: 'https://builder.flowyte.com/invoices/inv_1.pdf',
      },
    ]);
    const [entry] = app.world.ledger.journal({ family: 'billing', limit: 1 }).entries;
    expect(entry?.postings).toEqual([
      { debit: 'billing:payments', credit: 'billing:wallet:org_demo', asset: 'credits', amount: 255000n },
    ]);
    assertInvariants(app.world.ledger);
  });

  it('refuses amounts outside 5..10000 USD or with 3 decimals, moving nothing', async () => {
    const app = demoApp();
    await expectUnchanged(app, async () => {
      for (const amountUsd of [4.99, 10000.01, 5.001]) {
        const result = await billingCall(app, 'POST', TOPUP, { bearer: DEMO_SESSION, json: { amountUsd } });
        expect(result.status).toBe(400);
        expect(result.body.errors[0].field).toBe('amountUsd');
      }
    });
    expect(await invoices(app)).toEqual([]);
  });
});

describe('billing top-up, manual settlement', () => {
  it('stays pending until settled, then lands the credits and issues the invoice', async () => {
    const app = demoApp();
    const started = await billingCall(app, 'POST', TOPUP, {
      bearer: MANUAL_SESSION,
      json: { amountUsd: 25 },
    });
    expect(started.body.data).toMatchObject({ paymentId: 'pay_1', status: 'pending', amountUsd: 25 });
    expect(await balanceUsd(app, MANUAL_SESSION)).toBe(10);
    expect(await invoices(app, MANUAL_SESSION)).toEqual([]);

    const settled = await billingCall(app, 'POST', '/_mock/billing/payments/pay_1/settle');
    expect(settled).toMatchObject({
      status: 200,
      body: { paymentId: 'pay_1', organizationId: 'org_manual', status: 'succeeded', amountUsd: 25 },
    });
    expect(await balanceUsd(app, MANUAL_SESSION)).toBe(35);
    expect(await invoices(app, MANUAL_SESSION)).toMatchObject([
      { amountUsd: 25, description: 'Wallet top-up' },
    ]);
    assertInvariants(app.world.ledger);
  });

  it('adds nothing when the payment fails', async () => {
    const app = demoApp();
    await billingCall(app, 'POST', TOPUP, { bearer: MANUAL_SESSION, json: { amountUsd: 25 } });
    await expectUnchanged(
      app,
      async () => {
        const failed = await billingCall(app, 'POST', '/_mock/billing/payments/pay_1/fail');
        expect(failed.body).toEqual({
          paymentId: 'pay_1',
          organizationId: 'org_manual',
          status: 'failed',
          amountUsd: 25,
        });
      },
      MANUAL_SESSION,
    );
    expect(await invoices(app, MANUAL_SESSION)).toEqual([]);
  });

  it('answers 409 for a payment that is no longer pending and 404 for an unknown one', async () => {
    const app = demoApp();
    await billingCall(app, 'POST', TOPUP, { bearer: MANUAL_SESSION, json: { amountUsd: 25 } });
    await billingCall(app, 'POST', '/_mock/billing/payments/pay_1/settle');
    await expectUnchanged(
      app,
      async () => {
        expect(await billingCall(app, 'POST', '/_mock/billing/payments/pay_1/settle')).toMatchObject({
          status: 409,
          body: { error: 'Payment pay_1 is not pending (succeeded).' },
        });
        expect(await billingCall(app, 'POST', '/_mock/billing/payments/pay_1/fail')).toMatchObject({
          status: 409,
        });
        expect(await billingCall(app, 'POST', '/_mock/billing/payments/pay_99/settle')).toMatchObject({
          status: 404,
          body: { error: 'Payment pay_99 not found.' },
        });
      },
      MANUAL_SESSION,
    );
  });

  it('settles an immediate payment only once: its id is not pending', async () => {
    const app = demoApp();
    await billingCall(app, 'POST', TOPUP, { bearer: DEMO_SESSION, json: { amountUsd: 5 } });
    const again = await billingCall(app, 'POST', '/_mock/billing/payments/pay_1/settle');
    expect(again.status).toBe(409);
    expect(await balanceUsd(app)).toBe(55);
  });
});
