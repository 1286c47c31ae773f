import { describe, expect, it } from 'vitest';
import { assertInvariants } from '../../mock/ledger/invariants.js';
import {
  ADD_USER,
  books,
  ORGANIZATIONS,
  OTHER_KEY,
  post,
  resellerApp,
  TRANSFER,
  usdOf,
} from './reseller-support.js';
import { call } from './support.js';

const carol = {
  name: 'Carol Client',
  email: 'carol@client.example',
  phone: '+14155550123',
  password: 's3cure-passw0rd',
};

describe('reseller organizations list', () => {
  it("lists the caller's organization and only its direct children", async () => {
    const app = resellerApp();
    const res = await call(app, 'GET', ORGANIZATIONS, { bearer: 'rs_demo' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      reseller_organization: { id: 4001, name: 'Demo Reseller', concurrent_call_limit: 10 },
      organizations: [
        // The currency symbols of the public page, and its `created_date` form.
        {
          id: 4002,
          name: 'Acme',
          cost_per_min: 0.2,
          org_balance: 10,
          reseller_org_balance_currency_symbol: '$',
          concurrent_call_limit: 5,
          org_user_currency_symbol: '$',
          timezone: 'UTC',
          created_date: '2025-06-01T12:00:00.000000',
          total_users: 0,
          users: [],
        },
        expect.objectContaining({ id: 4003, name: 'Globex', cost_per_min: 0.15, org_balance: 0 }),
      ],
      total_organizations: 2,
      total_users_across_orgs: 0,
    });
    const other = await call(app, 'GET', ORGANIZATIONS, { bearer: OTHER_KEY });
    expect(other.body.organizations.map((o: { id: number }) => o.id)).toEqual([5002]);
  });

  it('shows current balances and the price last sold at', async () => {
    const app = resellerApp();
    await post(app, TRANSFER, { to_organization_id: 4002, minutes: 20, cost_per_min: 0.25 });
    const res = await call(app, 'GET', ORGANIZATIONS, { bearer: 'rs_demo' });
    expect(res.body.organizations[0]).toMatchObject({ id: 4002, org_balance: 15, cost_per_min: 0.25 });
  });
});

describe('reseller users/add', () => {
  it('creates a child organization and sells the welcome minutes like a transfer', async () => {
    const app = resellerApp();
    const res = await post(app, ADD_USER, { ...carol, welcome_minutes_to_credit: 10, cost_per_min: 0.25 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      message: 'User and organization created successfully',
      user_id: 9001,
      organization_id: 5003,
      organization_name: "Carol Client's Organization",
      organization_balance: 2.5,
      cost_per_min: 0.25,
    });
    expect(usdOf(app, 4001)).toBe(60.813);
    expect(app.world.ledger.balance('reseller:platform', 'usd')).toBe(-1_500_000n);
    assertInvariants(app.world.ledger);

    const list = await call(app, 'GET', ORGANIZATIONS, { bearer: 'rs_demo' });
    expect(list.body.total_organizations).toBe(3);
    expect(list.body.total_users_across_orgs).toBe(1);
    // No concurrent_call_limit asked, none taken from the pool; the user's fields as the
    // public organizations page lists them.
    expect(list.body.organizations[2]).toMatchObject({
      id: 5003,
      name: "Carol Client's Organization",
      cost_per_min: 0.25,
      org_balance: 2.5,
      concurrent_call_limit: 0,
      total_users: 1,
      users: [
        {
          id: 9001,
          name: 'Carol Client',
          email: 'carol@client.example',
          phone: '+14155550123',
          login_date: null,
          is_active: true,
          expiry_date: null,
          access_level: false,
          dashboard_menu_access: expect.objectContaining({ is_bots_menu_access: true }),
        },
      ],
    });
  });

  it('makes the new organization a direct child the reseller can transfer to', async () => {
    const app = resellerApp();
    const added = await post(app, ADD_USER, carol);
    expect(added.body).toMatchObject({ organization_balance: 0, cost_per_min: 0.1 });
    const res = await post(app, TRANSFER, {
      to_organization_id: added.body.organization_id,
      minutes: 5,
      cost_per_min: 0.2,
    });
    expect(res.body).toMatchObject({ new_from_balance: 61.313, new_to_balance: 1 });
    const other = await post(
      app,
      TRANSFER,
      { to_organization_id: added.body.organization_id, minutes: 1, cost_per_min: 0.2 },
      OTHER_KEY,
    );
    expect(other.status).toBe(403);
  });

  it('keeps concurrent_call_limit when given and numbers organizations and users onwards', async () => {
    const app = resellerApp();
    await post(app, ADD_USER, carol);
    const second = await post(app, ADD_USER, {
      ...carol,
      email: 'dan@client.example',
      name: 'Dan',
      concurrent_call_limit: 2,
    });
    expect(second.body).toMatchObject({ user_id: 9002, organization_id: 5004 });
    const list = await call(app, 'GET', ORGANIZATIONS, { bearer: 'rs_demo' });
    expect(list.body.organizations[3]).toMatchObject({ id: 5004, concurrent_call_limit: 2 });
  });

  it('refuses an email already taken in the same reseller, case-insensitively', async () => {
    const app = resellerApp();
    await post(app, ADD_USER, carol);
    const before = books(app);
    const res = await post(app, ADD_USER, { ...carol, email: 'CAROL@client.example' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'email: has already been taken',
    });
    expect(books(app)).toEqual(before);
    // Another reseller's users are out of sight: the same email is free there.
    const other = await post(app, ADD_USER, carol, OTHER_KEY);
    expect(other.status).toBe(200);
  });

  it('refuses welcome minutes the reseller cannot pay and creates nothing', async () => {
    const app = resellerApp();
    const before = books(app);
    const res = await post(app, ADD_USER, { ...carol, welcome_minutes_to_credit: 1000 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'insufficient_balance',
      error_description: 'Insufficient balance: the welcome minutes cost 100 and 61.813 is available.',
      available_balance: 61.813,
    });
    expect(books(app)).toEqual(before);
    const list = await call(app, 'GET', ORGANIZATIONS, { bearer: 'rs_demo' });
    expect(list.body.total_organizations).toBe(2);
    const next = await post(app, ADD_USER, carol);
    expect(next.body).toMatchObject({ user_id: 9001, organization_id: 5003 });
  });

  it('refuses a price below the reseller rate', async () => {
    const app = resellerApp();
    const before = books(app);
    const res = await post(app, ADD_USER, { ...carol, cost_per_min: 0.09 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_cost_per_min',
      error_description: 'cost_per_min 0.09 is below your reseller rate of 0.1.',
    });
    expect(books(app)).toEqual(before);
  });

  it('names invalid fields', async () => {
    const app = resellerApp();
    const res = await post(app, ADD_USER, { ...carol, password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'password: must be at least 8 characters long',
    });
  });
});
