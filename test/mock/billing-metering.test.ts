import { describe, expect, it } from 'vitest';
import {
  appWith,
  assertInvariants,
  balanceUsd,
  billingCall,
  demoApp,
  expectUnchanged,
  items,
  MANUAL_SESSION,
  subscription,
  usage,
} from './billing-support.js';

describe('billing metering: pay-as-you-go', () => {
  it('charges voice at 15 credits a minute and answers the usage item', async () => {
    const app = demoApp();
    const result = await usage(app, { channel: 'voice', quantity: 12, agentId: 'agent_sales' });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      id: 'ui_1',
      time: '2025-06-01T12:00:00Z',
      type: 'usage',
      channel: 'voice',
      quantity: 12,
      credits: 180,
      description: 'Voice, 12 minutes',
      agentId: 'agent_sales',
    });
    expect(await balanceUsd(app)).toBe(48.2);
    const [entry] = app.world.ledger.journal({ family: 'billing', limit: 1 }).entries;
    expect(entry?.postings).toEqual([
      { debit: 'billing:wallet:org_demo', credit: 'billing:revenue', asset: 'credits', amount: 18000n },
    ]);
  });

  it('adds 2 credits a minute for toll-free inbound (the spec example: 3 minutes = 51 credits)', async () => {
    const app = demoApp();
    const result = await usage(app, {
      channel: 'voice',
      quantity: 3,
      tollFree: true,
      agentId: 'agent_support',
      description: 'Toll-free inbound voice, 3 minutes',
    });
    expect(result.body).toMatchObject({ credits: 51, description: 'Toll-free inbound voice, 3 minutes' });
    expect(await balanceUsd(app)).toBe(49.49);
  });

  it('charges chat per message, transfer minutes and numbers at their rates', async () => {
    const app = demoApp();
    expect((await usage(app, { channel: 'chat', quantity: 30 })).body).toMatchObject({
      credits: 30,
      description: 'Chat, 30 messages',
      type: 'usage',
    });
    expect((await usage(app, { channel: 'transfer_minute', quantity: 4.5 })).body).toMatchObject({
      credits: 45,
      description: 'Transferred call, 4.5 minutes',
    });
    expect((await usage(app, { channel: 'number', quantity: 1 })).body).toMatchObject({
      credits: 150,
      type: 'rental',
      description: 'Phone number rental, 1 number',
    });
    expect(await balanceUsd(app)).toBe(47.75); // 5000 - 30 - 45 - 150 = 4775 credits
    assertInvariants(app.world.ledger);
  });

  it('rounds quantity x rate half up to 2 decimals of a credit', async () => {
    const app = appWith({ rates: { voicePerMinute: 0.15, chatPerMessage: 0.05 } });
    // 0.01 min x 0.15 = 0.0015 -> 0.00; 0.03 x 0.15 = 0.0045 -> 0.00; 0.1 x 0.05 = 0.005 -> 0.01
    expect((await usage(app, { channel: 'voice', quantity: 0.03 })).body.credits).toBe(0);
    expect((await usage(app, { channel: 'chat', quantity: 0.1 })).body.credits).toBe(0.01);
    // 1.23 x 0.15 = 0.1845 -> 0.18; 1.7 x 0.15 = 0.255 -> 0.26 (half up)
    expect((await usage(app, { channel: 'voice', quantity: 1.23 })).body.credits).toBe(0.18);
    expect((await usage(app, { channel: 'voice', quantity: 1.7 })).body.credits).toBe(0.26);
    expect(await balanceUsd(app)).toBe(49.9955); // 5000 - 0.45 credits
  });

  it('uses the seed rates when given', async () => {
    const app = appWith({ rates: { voicePerMinute: 20, tollFreePerMinute: 3 } });
    expect((await usage(app, { channel: 'voice', quantity: 2, tollFree: true })).body.credits).toBe(46);
  });
});

describe('billing metering: plans', () => {
  it('uses the included minutes first (0 credits), then the overage rate', async () => {
    const app = appWith({ planId: 'starter' });
    expect((await usage(app, { channel: 'voice', quantity: 498 })).body.credits).toBe(0);
    expect((await subscription(app)).includedMinutesRemaining).toBe(2);
    // 2 included + 3 at the Starter overage of 12 credits a minute.
    expect((await usage(app, { channel: 'voice', quantity: 5 })).body.credits).toBe(36);
    expect((await subscription(app)).includedMinutesRemaining).toBe(0);
    expect((await usage(app, { channel: 'voice', quantity: 1 })).body.credits).toBe(12);
    expect(await balanceUsd(app)).toBe(49.52);
  });

  it('adds the toll-free surcharge on every minute, included ones too', async () => {
    const app = appWith({ planId: 'growth' });
    expect((await usage(app, { channel: 'voice', quantity: 10, tollFree: true })).body.credits).toBe(20);
    expect((await subscription(app)).includedMinutesRemaining).toBe(1990);
  });

  it('does not use included minutes for chat or transfer minutes', async () => {
    const app = demoApp();
    const result = await usage(app, {
      organizationId: 'org_manual',
      channel: 'transfer_minute',
      quantity: 2,
    });
    expect(result.body.credits).toBe(20);
    expect((await subscription(app, MANUAL_SESSION)).includedMinutesRemaining).toBe(500);
  });
});

describe('billing metering: refusals', () => {
  it('answers 402 for usage the wallet cannot cover and records nothing, allowance included', async () => {
    const app = appWith({ credits: 20, planId: 'starter' });
    await usage(app, { channel: 'voice', quantity: 499 });
    await expectUnchanged(app, async () => {
      // 1 included minute left + 2 at 12 = 24 credits > 20
      const result = await usage(app, { channel: 'voice', quantity: 3 });
      expect(result).toMatchObject({
        status: 402,
        body: {
          type: 'https://docs.flowyte.com/errors/insufficient_funds',
          code: 'insufficient_funds',
          title: 'Payment Required',
          status: 402,
          detail: 'The wallet balance of 0.2 USD cannot cover 24 credits of usage.',
        },
      });
      expect(result.headers['content-type']).toBe('application/problem+json');
    });
    expect((await subscription(app)).includedMinutesRemaining).toBe(1);
    expect(await items(app)).toHaveLength(1);
  });

  it('answers 400 in the mock-admin shape for an unknown organization or toll-free chat', async () => {
    const app = demoApp();
    await expectUnchanged(app, async () => {
      const unknown = await usage(app, { organizationId: 'org_nope', channel: 'chat', quantity: 1 });
      expect(unknown).toMatchObject({
        status: 400,
        body: {
          issues: [
            { path: 'organizationId', message: 'organizationId org_nope is not a billing organization' },
          ],
        },
      });
      const tollFreeChat = await usage(app, { channel: 'chat', quantity: 1, tollFree: true });
      expect(tollFreeChat.body.issues[0].path).toBe('tollFree');
      const invalid = await usage(app, { channel: 'voice', quantity: 0 });
      expect(invalid.status).toBe(400);
      expect(invalid.body.issues[0].path).toBe('quantity');
    });
  });

  it('posts a zero-credit item without moving money', async () => {
    const app = appWith({ planId: 'starter' });
    await usage(app, { channel: 'voice', quantity: 1 });
    const [entry] = app.world.ledger.journal({ family: 'billing', limit: 1 }).entries;
    expect(entry).toMatchObject({
      operation: 'mockRecordUsage',
      postings: [],
      metadata: { usageItemId: 'ui_1' },
    });
    expect(
      await billingCall(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_session_demo' }),
    ).toMatchObject({
      body: { data: { balanceUsd: 50 } },
    });
  });
});
