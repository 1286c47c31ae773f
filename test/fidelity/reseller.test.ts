/**
 * Reseller rows of docs/fidelity.md: each sends the request a public page documents to the reference
 * server on the demo seed and checks the documented answer (https://docs.omnidim.io/docs/api-reference/reseller/*).
 * The demo seed reproduces the pages' story: the concurrency change, then the transfer (both logged at
 * 2026-01-15T11:04:40Z), then the revert.
 */
import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { Clock } from '../../mock/ledger/clock.js';
import { type CallResult, call } from '../mock/support.js';

const BASE = '/api/v1/reseller';
const LOGGED_AT = '2026-01-15T11:04:40Z';

const demo = () => new MockApp({ clock: Clock.controlled(LOGGED_AT) });
const post = (app: MockApp, path: string, json: unknown): Promise<CallResult> =>
  call(app, 'POST', `${BASE}${path}`, { bearer: 'rs_demo', json });
const get = (app: MockApp, path: string, query = {}): Promise<CallResult> =>
  call(app, 'GET', `${BASE}${path}`, { bearer: 'rs_demo', query });

/** The pages' order of events, each with the page's documented request. */
async function story(app: MockApp) {
  const concurrency = await post(app, '/concurrency', { child_organization_id: 4002, new_limit: 5 });
  const transfer = await post(app, '/credits/transfer', {
    to_organization_id: 4002,
    minutes: 20,
    cost_per_min: 0.2,
  });
  const revert = await post(app, '/credits/revert', { from_organization_id: 4002, minutes: 5 });
  return { concurrency, transfer, revert };
}

const demoReseller = { id: 5678, name: 'Demo Reseller' };
const betaCo = { id: 4002, name: 'Beta Co' };
const admin = { id: 1000, name: 'Demo Reseller Admin', email: 'admin@example.com' };

describe('reseller pages on the demo seed', () => {
  it('setChildConcurrency: child 4002 to 5 leaves 7 slots in the pool', async () => {
    const { concurrency } = await story(demo());
    expect(concurrency.status).toBe(200);
    expect(concurrency.body).toEqual({
      success: true,
      message: 'Concurrency limit updated successfully.',
      child_limit: 5,
      reseller_available: 7,
    });
  });

  it('transferCreditsToChild and revertCreditsFromChild: 59.813 / 14, then 13 / 60.263', async () => {
    const { transfer, revert } = await story(demo());
    expect(transfer.status).toBe(200);
    expect(transfer.body).toEqual({
      success: true,
      message: 'Credits allocated successfully',
      new_from_balance: 59.813,
      new_to_balance: 14,
    });
    expect(revert.status).toBe(200);
    expect(revert.body).toEqual({
      success: true,
      message: 'Credits reverted successfully',
      new_from_balance: 13,
      new_to_balance: 60.263,
    });
  });

  it('getResellerCreditLogs: the CT- and CH- entries of the page, field by field', async () => {
    const app = demo();
    await story(app);
    const res = await get(app, '/credits/logs', { page: 1, page_size: 20 });
    expect(res.status).toBe(200);
    const [revert, transfer, concurrency] = res.body.data.logs;
    expect(res.body.success).toBe(true);
    expect(transfer).toEqual({
      id: transfer.id,
      transfer_reference: 'CT-20260115110440-5678-4002',
      reseller_organization: demoReseller,
      from_organization: demoReseller,
      to_organization: betaCo,
      credit_amount: 4,
      cost_amount: -1.8,
      from_balance_before: 61.613,
      from_balance_after: 59.813,
      to_balance_before: 10,
      to_balance_after: 14,
      transfer_date: '2026-01-15T16:34:40+05:30',
      performed_by: admin,
      status: 'success',
      transaction_type: 'credit_transfer',
      channels_count: 0,
      previous_channels: 0,
      new_channels: 0,
      notes: 'Transfer of 20 minutes at 0.20/min',
    });
    // The page's excerpt ends after `status`: the rest is decided (docs/fidelity.md).
    expect(concurrency).toMatchObject({
      transfer_reference: 'CH-20260115110440-5678-4002',
      reseller_organization: demoReseller,
      from_organization: demoReseller,
      to_organization: betaCo,
      credit_amount: 0,
      cost_amount: 0,
      from_balance_before: 0,
      from_balance_after: 0,
      to_balance_before: 0,
      to_balance_after: 0,
      transfer_date: '2026-01-15T16:34:40+05:30',
      performed_by: admin,
      status: 'success',
      transaction_type: 'concurrency_change',
      channels_count: 3,
      previous_channels: 2,
      new_channels: 5,
    });
    expect(concurrency.id).toBeLessThan(transfer.id);
    expect(revert).toMatchObject({
      transfer_reference: 'CR-20260115110440-5678-4002',
      from_organization: betaCo,
      to_organization: demoReseller,
      credit_amount: -1,
      cost_amount: 0.45,
      from_balance_before: 14,
      from_balance_after: 13,
      to_balance_before: 59.813,
      to_balance_after: 60.263,
    });
  });

  it('listChildOrganizations: the reseller and Acme Inc as the page lists them, Beta Co after the story', async () => {
    const app = demo();
    const before = await get(app, '/organizations');
    expect(before.status).toBe(200);
    expect(before.body.success).toBe(true);
    expect(before.body.reseller_organization).toEqual({ ...demoReseller, concurrent_call_limit: 10 });
    expect(before.body.organizations[0]).toEqual({
      id: 4001,
      name: 'Acme Inc',
      cost_per_min: 0.09,
      org_balance: 24442.6,
      reseller_org_balance_currency_symbol: '$',
      concurrent_call_limit: 1,
      org_user_currency_symbol: '$',
      timezone: 'US/Pacific',
      created_date: '2025-10-09T10:20:58.220633',
      total_users: 1,
      users: [
        {
          id: 1110,
          name: 'Demo User',
          // The page shows demo@example.com, which the add-user page's example creates (fidelity.md).
          email: 'demo.user@example.com',
          phone: false,
          login_date: '2026-04-23T11:00:06.685330',
          is_active: true,
          expiry_date: null,
          access_level: false,
          dashboard_menu_access: {
            is_bots_menu_access: true,
            is_leads_access: false,
            is_voice_cloning_access: false,
            is_workflow_access: false,
            is_asr_evaluation_menu_access: false,
            is_train_with_call_recording_menu_access: false,
            is_call_logs_menu_access: true,
            is_call_simulation_menu_access: false,
            access_to_monitor_live_call: false,
            is_whatsapp_flow_enabled: true,
            is_billing_menu_access: true,
            is_knowledge_base_access: true,
            is_integration_access: true,
            is_phone_number_access: true,
            is_bulk_call_access: true,
            is_analytics_access: true,
          },
        },
      ],
    });
    await story(app);
    const after = await get(app, '/organizations');
    expect(after.body.organizations[1]).toMatchObject({
      id: 4002,
      name: 'Beta Co',
      cost_per_min: 0.2,
      org_balance: 13,
      reseller_org_balance_currency_symbol: '$',
      concurrent_call_limit: 5,
      org_user_currency_symbol: '$',
      timezone: 'US/Pacific',
      created_date: '2026-05-11T11:04:09.426809',
    });
  });

  it("addUser: the page's request creates Demo User's Organization with 10 USD", async () => {
    const app = demo();
    const res = await post(app, '/users/add', {
      name: 'Demo User',
      email: 'demo@example.com',
      phone: '+15551234567',
      password: 'SecurePass123!',
      welcome_minutes_to_credit: 50,
      cost_per_min: 0.2,
      concurrent_call_limit: 2,
      expiry_date: '2026-12-31',
      user_currency: 'USD',
    });
    // The page shows no status in its stored copy; every other reseller page documents 200
    // (docs/decisions.md, "Statuses the pages show").
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      message: 'User and organization created successfully',
      user_id: expect.any(Number),
      organization_id: expect.any(Number),
      organization_name: "Demo User's Organization",
      organization_balance: 10,
      cost_per_min: 0.2,
    });
    const list = await get(app, '/organizations');
    expect(list.body.reseller_organization.concurrent_call_limit).toBe(8);
    expect(list.body.organizations.at(-1)).toMatchObject({
      id: res.body.organization_id,
      concurrent_call_limit: 2,
      users: [{ id: res.body.user_id, phone: '+15551234567', expiry_date: '2026-12-31' }],
    });
  });

  it('errors: the documented shape, and the decided insufficient_concurrency', async () => {
    const app = demo();
    const unauthorized = await call(app, 'POST', `${BASE}/concurrency`, {
      json: { child_organization_id: 4002, new_limit: 5 },
    });
    expect(unauthorized.status).toBe(401);
    expect(Object.keys(unauthorized.body)).toEqual(['error', 'error_description']);
    const short = await post(app, '/concurrency', { child_organization_id: 4002, new_limit: 13 });
    expect(short.status).toBe(400);
    expect(short.body).toEqual({
      error: 'insufficient_concurrency',
      error_description:
        'Insufficient concurrency slots: raising the limit of organization 4002 from 2 to 13 needs 11 and your pool has 10 available.',
      reseller_available: 10,
    });
  });
});

describe('api-reference/errors', () => {
  it('401 "Missing or invalid API key": {"error": "unauthorized", "error_description": "Missing or invalid API key"}', async () => {
    const res = await call(demo(), 'GET', `${BASE}/organizations`, { bearer: 'rs_nobody' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized', error_description: 'Missing or invalid API key' });
  });

  it('404 "No endpoint at this path. The response includes docs and openapi links."', async () => {
    const res = await call(demo(), 'GET', `${BASE}/nothing-here`, { bearer: 'rs_demo' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      error: 'not_found',
      docs: expect.stringMatching(/^https:\/\//),
      openapi: expect.stringMatching(/^https:\/\//),
    });
  });

  it('405 "Path exists but not for this HTTP method. The Allow header lists valid methods."', async () => {
    const app = demo();
    const wrong = await call(app, 'GET', `${BASE}/credits/transfer`, { bearer: 'rs_demo' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expect(wrong.body).toMatchObject({ error: 'method_not_allowed' });
    const logs = await call(app, 'DELETE', `${BASE}/credits/logs`, { bearer: 'rs_demo' });
    expect(logs.status).toBe(405);
    expect(logs.headers.allow).toBe('GET, HEAD');
  });
});
