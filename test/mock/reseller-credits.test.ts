import { describe, expect, it } from 'vitest';
import { assertInvariants } from '../../mock/ledger/invariants.js';
import { CALCULATE, post, REVERT, resellerApp, TRANSFER, usdOf } from './reseller-support.js';
import { call } from './support.js';

describe('reseller transfer', () => {
  it('gives the seed page figures: 20 minutes at 0.2 leave 59.813 and 14', async () => {
    const app = resellerApp();
    const res = await post(app, TRANSFER, { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      message: 'Credits allocated successfully',
      new_from_balance: 59.813,
      new_to_balance: 14,
    });
    expect(usdOf(app, 4001)).toBe(59.813);
    expect(usdOf(app, 4002)).toBe(14);
    assertInvariants(app.world.ledger);
  });

  it('journals one balanced entry: the platform account supplies the margin', async () => {
    const app = resellerApp();
    await post(app, TRANSFER, { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 }, 'rs_demo', {
      'idempotency-key': 'k-1',
    });
    const [entry] = app.world.ledger.journal({ family: 'reseller', limit: 1 }).entries;
    expect(entry?.operation).toBe('transferCreditsToChild');
    expect(entry?.idempotencyKey).toBe('k-1');
    expect(entry?.postings).toEqual([
      {
        debit: 'reseller:organization:4001',
        credit: 'reseller:organization:4002',
        asset: 'usd',
        amount: 2_000_000n,
      },
      { debit: 'reseller:platform', credit: 'reseller:organization:4002', asset: 'usd', amount: 2_000_000n },
    ]);
    expect(app.world.ledger.balance('reseller:platform', 'usd')).toBe(-2_000_000n);
  });

  it('sells at a price with 4 decimals exactly', async () => {
    const app = resellerApp();
    const res = await post(app, TRANSFER, { to_organization_id: 4003, minutes: 7, cost_per_min: 0.1234 });
    expect(res.body).toMatchObject({ new_from_balance: 61.113, new_to_balance: 0.8638 });
  });

  it('makes the price sold at the child price that a later revert uses', async () => {
    const app = resellerApp();
    await post(app, TRANSFER, { to_organization_id: 4002, minutes: 10, cost_per_min: 0.3 });
    const res = await post(app, REVERT, { from_organization_id: 4002, minutes: 10 });
    // Back where it started: 10 + 3 - 3 for the child, 61.813 - 1 + 1 for the reseller.
    expect(res.body).toMatchObject({ new_from_balance: 10, new_to_balance: 61.813 });
  });
});

describe('reseller revert', () => {
  it('takes minutes x child price from the child and refunds minutes x reseller rate', async () => {
    const app = resellerApp();
    await post(app, TRANSFER, { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
    const res = await post(app, REVERT, { from_organization_id: 4002, minutes: 10 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      message: 'Credits reverted successfully',
      new_from_balance: 12,
      new_to_balance: 60.813,
    });
    expect(app.world.ledger.balance('reseller:platform', 'usd')).toBe(-1_000_000n);
    assertInvariants(app.world.ledger);
  });

  it('may empty the child exactly', async () => {
    const app = resellerApp();
    const res = await post(app, REVERT, { from_organization_id: 4002, minutes: 50 });
    expect(res.body).toMatchObject({ new_from_balance: 0, new_to_balance: 66.813 });
  });
});

describe('reseller calculate', () => {
  it('previews a transfer with the figures the transfer then gives, moving nothing', async () => {
    const app = resellerApp();
    const size = app.world.ledger.journalSize;
    const preview = await post(app, CALCULATE, {
      minutes: 20,
      cost_per_min: 0.2,
      child_organization_id: 4002,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      success: true,
      my_cost: 2,
      user_credit: 4,
      profit: 2,
      margin: 0.1,
      reseller_balance: 61.813,
      reseller_available_minutes: 618,
      new_reseller_balance: 59.813,
      reseller_rate: 0.1,
      currency_symbol: '$',
    });
    expect(app.world.ledger.journalSize).toBe(size);
    const child = usdOf(app, 4002);
    const done = await post(app, TRANSFER, { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
    expect(done.body.new_from_balance).toBe(preview.body.new_reseller_balance);
    expect(done.body.new_to_balance).toBe(child + preview.body.user_credit);
  });

  it('previews a revert with the figures the revert then gives', async () => {
    const app = resellerApp();
    await post(app, TRANSFER, { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
    const preview = await post(app, CALCULATE, { minutes: 10, is_revert: true, child_organization_id: 4002 });
    expect(preview.body).toEqual({
      success: true,
      refund_amount: 1,
      deduction_amount: 2,
      child_balance: 14,
      child_available_minutes: 70,
      new_child_balance: 12,
      reseller_rate: 0.1,
      currency_symbol: '$',
    });
    const done = await post(app, REVERT, { from_organization_id: 4002, minutes: 10 });
    expect(done.body.new_from_balance).toBe(preview.body.new_child_balance);
    expect(done.body.new_to_balance).toBe(59.813 + preview.body.refund_amount);
  });

  it("uses the child's price without cost_per_min, and the reseller rate without a child", async () => {
    const app = resellerApp();
    const child = await post(app, CALCULATE, { minutes: 3, child_organization_id: 4003 });
    expect(child.body).toMatchObject({ my_cost: 0.3, user_credit: 0.45, profit: 0.15, margin: 0.05 });
    const bare = await post(app, CALCULATE, { minutes: 3 });
    expect(bare.body).toMatchObject({ my_cost: 0.3, user_credit: 0.3, profit: 0, margin: 0 });
  });

  it('answers its figures even when the balance cannot cover them', async () => {
    const app = resellerApp();
    const res = await post(app, CALCULATE, { minutes: 1000, cost_per_min: 0.2 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ my_cost: 100, new_reseller_balance: -38.187 });
  });

  it('counts whole available minutes, rounding down', async () => {
    const app = resellerApp();
    const res = await call(app, 'POST', CALCULATE, {
      bearer: 'rs_other',
      json: { minutes: 1, is_revert: true, child_organization_id: 5002 },
    });
    // 5 / 0.25 = 20 for the child; the reseller's own 100 / 0.12 = 833.33 shows in a forward preview.
    expect(res.body.child_available_minutes).toBe(20);
    const forward = await call(app, 'POST', CALCULATE, { bearer: 'rs_other', json: { minutes: 1 } });
    expect(forward.body.reseller_available_minutes).toBe(833);
  });
});
