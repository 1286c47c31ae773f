import { expect } from 'vitest';
import type { OperationId } from '../../generated/operations.js';
import type { MockApp } from '../../mock/app.js';
import { assertInvariants } from '../../mock/ledger/invariants.js';
import { validateResponse } from '../../src/validate/index.js';
import { type CallOptions, type CallResult, call, demoApp } from './support.js';

/** Demo seed credentials (mock/seeds/demo.json). */
export const DEMO_SESSION = 'flowyte_session_demo';
export const DEMO_KEY = 'flowyte_sk_test_demo';
export const DEMO_READONLY_KEY = 'flowyte_sk_test_readonly';
export const MANUAL_SESSION = 'flowyte_session_manual';
export const MANUAL_KEY = 'flowyte_sk_test_manual';

const OPERATIONS: Record<string, OperationId> = {
  'GET /api/v1/billing/wallet': 'getWallet',
  'POST /api/v1/billing/wallet/topup': 'topUpWallet',
  'PUT /api/v1/billing/wallet/auto-reload': 'setAutoReload',
  'POST /api/v1/billing/wallet/credit': 'creditWallet',
  'GET /api/v1/billing/usage': 'listUsage',
  'GET /api/v1/billing/usage/items': 'listUsageItems',
  'GET /api/v1/billing/plans': 'listPlans',
  'GET /api/v1/billing/subscription': 'getSubscription',
  'POST /api/v1/billing/subscription': 'changeSubscription',
  'GET /api/v1/billing/invoices': 'listInvoices',
  'POST /_mock/billing/usage': 'mockRecordUsage',
};

/** {@link call}, plus a check that the answer matches openapi.yaml (the later Prism proxy test's rule). */
export async function billingCall(
  app: MockApp,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const result = await call(app, method, path, options);
  const operation =
    OPERATIONS[`${method} ${path}`] ??
    (path.endsWith('/settle') ? 'mockSettlePayment' : path.endsWith('/fail') ? 'mockFailPayment' : undefined);
  if (operation !== undefined && typeof result.status === 'number')
    validateResponse(operation, result.status, result.body);
  return result;
}

/** Records metered usage through the control API. */
export function usage(app: MockApp, json: Record<string, unknown>): Promise<CallResult> {
  return billingCall(app, 'POST', '/_mock/billing/usage', { json: { organizationId: 'org_demo', ...json } });
}

/** The wallet's balance in USD as the API shows it. */
export async function balanceUsd(app: MockApp, bearer = DEMO_SESSION): Promise<number> {
  const result = await billingCall(app, 'GET', '/api/v1/billing/wallet', { bearer });
  expect(result.status).toBe(200);
  return result.body.data.balanceUsd;
}

export async function subscription(app: MockApp, bearer = DEMO_SESSION) {
  const result = await billingCall(app, 'GET', '/api/v1/billing/subscription', { bearer });
  expect(result.status).toBe(200);
  return result.body.data;
}

export async function items(
  app: MockApp,
  bearer = DEMO_SESSION,
  query: Record<string, string | number> = {},
) {
  const result = await billingCall(app, 'GET', '/api/v1/billing/usage/items', {
    bearer,
    query,
  });
  expect(result.status).toBe(200);
  return result.body.data;
}

/** Every usage item since `from`, newest first, read one 31-day window at a time (the list's bound). */
export async function itemsSince(app: MockApp, from: string, bearer = DEMO_SESSION) {
  const WINDOW_MS = 31 * 86_400_000;
  const now = app.world.ledger.clock.now();
  let all: unknown[] = [];
  for (let start = Date.parse(from); start <= now; start += WINDOW_MS) {
    const window = { from: new Date(start).toISOString(), to: new Date(start + WINDOW_MS).toISOString() };
    all = [...(await items(app, bearer, window)), ...all];
  }
  return all;
}

export async function invoices(app: MockApp, bearer = DEMO_SESSION) {
  const result = await billingCall(app, 'GET', '/api/v1/billing/invoices', { bearer });
  expect(result.status).toBe(200);
  return result.body.data;
}

/** A fresh app on a billing-only seed of one organization (the demo seed's clock). */
export function appWith(organization: Record<string, unknown>): MockApp {
  return demoApp({
    seed: {
      billing: {
        organizations: [
          {
            id: 'org_demo',
            credits: 5000,
            planId: null,
            apiKeys: [{ key: DEMO_KEY, scopes: ['billing:read', 'billing:write'] }],
            sessions: [DEMO_SESSION],
            settlement: 'immediate',
            ...organization,
          },
        ],
      },
    },
  });
}

/** Nothing moved: journal size and the wallet are as they were. */
export async function expectUnchanged(app: MockApp, action: () => Promise<unknown>, bearer = DEMO_SESSION) {
  const journalSize = app.world.ledger.journalSize;
  const before = await balanceUsd(app, bearer);
  await action();
  expect(app.world.ledger.journalSize).toBe(journalSize);
  expect(await balanceUsd(app, bearer)).toBe(before);
}

export { assertInvariants, call, demoApp };

/** A billing organization of a seed with nothing in it but `extra` (id `org_a`). */
export const seedOrganization = (extra: Record<string, unknown> = {}) => ({
  id: 'org_a',
  credits: 0,
  planId: null,
  apiKeys: [],
  sessions: [],
  settlement: 'immediate',
  ...extra,
});
