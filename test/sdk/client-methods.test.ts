import { describe, expect, it } from 'vitest';
import { InsufficientBalanceError } from '../../src/index.js';
import { demoClient, useReferenceServer } from './support.js';

const { app } = await useReferenceServer();

describe('white-label methods', () => {
  it('transfers minutes with the seed page figures', async () => {
    const result = await demoClient().whiteLabel.transfer({
      user_id: 123,
      transfer_type: 'minutes',
      operation: 'add',
      amount: 100,
    });
    expect(result.user.minutes_balance).toBe(150.5);
    expect(result.your_balance.minutes).toBe(850.5);
  });

  it('lists users, registers one, creates a token and reads /user/me', async () => {
    const { whiteLabel } = demoClient();
    const users = await whiteLabel.listUsers();
    expect(users.data.map((u) => u.id)).toContain(123);
    const registered = await whiteLabel.register({
      name: 'Ada',
      email: 'ada@platform.example',
      password: 'correct-horse',
    });
    expect(registered.user.email).toBe('ada@platform.example');
    const token = await whiteLabel.createToken({ user_id: 123 });
    expect(token.token.length).toBeGreaterThan(10);
    const me = await whiteLabel.me();
    expect(me.total_balance).toBe(95.05);
  });
});

describe('reseller methods', () => {
  it('previews a transfer with calculate and then performs it with the same figures', async () => {
    const { reseller } = demoClient();
    const preview = await reseller.calculate({ minutes: 20, cost_per_min: 0.2, child_organization_id: 4002 });
    // The demo seed: reseller rate 0.09, so 20 minutes cost the reseller 1.8.
    expect(preview).toMatchObject({ my_cost: 1.8, user_credit: 4, new_reseller_balance: 59.813 });
    const done = await reseller.transfer({ to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
    expect(done).toMatchObject({ new_from_balance: 59.813, new_to_balance: 14 });
  });

  it('reverts, lists organizations, adds a user and pages through the logs', async () => {
    const { reseller } = demoClient();
    await reseller.transfer({ to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
    const reverted = await reseller.revert({ from_organization_id: 4002, minutes: 5 });
    // The revert page's figures, which the demo seed reproduces.
    expect(reverted).toMatchObject({ new_from_balance: 13, new_to_balance: 60.263 });
    const orgs = await reseller.listOrganizations();
    expect(orgs.organizations.map((o) => o.id)).toEqual(expect.arrayContaining([4001, 4002]));
    const added = await reseller.addUser({
      name: 'New Co',
      email: 'owner@newco.example',
      phone: '+15550100',
      password: 'long-enough',
    });
    expect(added.organization_id).toBeGreaterThan(0);
    const logs = await reseller.listCreditLogs({ page_size: 1 });
    expect(logs.data.logs).toHaveLength(1);
    const all = [];
    for await (const log of reseller.listCreditLogs({ page_size: 1 })) all.push(log.transaction_type);
    expect(all).toEqual(['credit_revert', 'credit_transfer']);
  });
});

describe('reseller concurrency', () => {
  it("sets a child's concurrency limit from the shared pool and lists the change", async () => {
    const { reseller } = demoClient();
    const set = await reseller.setChildConcurrency({ child_organization_id: 4002, new_limit: 5 });
    expect(set).toEqual({
      success: true,
      message: 'Concurrency limit updated successfully.',
      child_limit: 5,
      reseller_available: 7,
    });
    const [log] = (await reseller.listCreditLogs({ page_size: 1 })).data.logs;
    expect(log).toMatchObject({ transaction_type: 'concurrency_change', channels_count: 3 });
  });

  it('refuses a limit the pool cannot cover as an insufficient balance of slots', async () => {
    const error = await demoClient()
      .reseller.setChildConcurrency({ child_organization_id: 4002, new_limit: 13 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    expect(error).toMatchObject({ familyCode: 'insufficient_concurrency', asset: 'slots', available: 10 });
  });
});

describe('credit-send methods', () => {
  it('logs in on first use and sends credits minus the fee', async () => {
    const result = await demoClient().creditSend.send({ user: 11, credits: 2 });
    expect(result.data).toEqual({ your_new_balance: 97, user_new_balance: 2 });
  });

  it('logs in explicitly', async () => {
    const session = await demoClient().creditSend.login({
      email: 'bob@example.com',
      secret: 's3cret-bob',
      ttl: '60',
    });
    expect(session.data.status).toBe('USER_LOGGED');
  });
});

describe('billing methods', () => {
  it('reads the wallet and unwraps the envelope', async () => {
    const wallet = await demoClient().billing.getWallet();
    expect(wallet.balanceUsd).toBe(50);
  });

  it('tops up, credits, configures auto-reload and changes the plan', async () => {
    const { billing } = demoClient();
    const topUp = await billing.topUp({ amountUsd: 10 });
    expect(topUp.status).toBe('succeeded');
    await billing.credit({ amountUsd: 2.5, reason: 'goodwill' });
    expect((await billing.getWallet()).balanceUsd).toBe(62.5);
    const reload = await billing.setAutoReload({ enabled: true, thresholdUsd: 20, amountUsd: 50 });
    expect(reload.autoReloadEnabled).toBe(true);
    const plans = await billing.listPlans();
    expect(plans.map((p) => p.id)).toEqual(['starter', 'growth', 'scale']);
    const changed = await billing.changeSubscription({ planId: 'starter' });
    expect(changed.plan?.id).toBe('starter');
    expect((await billing.getSubscription()).plan?.id).toBe('starter');
    const invoices = await billing.listInvoices();
    expect(invoices.length).toBeGreaterThanOrEqual(2);
  });

  it('lists usage items and rolled-up usage as arrays', async () => {
    for (let i = 0; i < 5; i += 1) {
      app.world.ledger.clock.advance(60_000);
      const outcome = await app.handle({
        method: 'POST',
        path: '/_mock/billing/usage',
        query: new URLSearchParams(),
        header: (name) => (name === 'content-type' ? 'application/json' : undefined),
        bodyText: JSON.stringify({ organizationId: 'org_demo', channel: 'chat', quantity: 1 }),
      });
      expect(outcome.kind === 'respond' && outcome.response.status).toBe(201);
    }
    const { billing } = demoClient();
    const ids = (await billing.listUsageItems()).map((item) => item.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    const usage = await billing.listUsage();
    expect(usage).toEqual([expect.objectContaining({ channel: 'chat', quantity: 5 })]);
  });
});
