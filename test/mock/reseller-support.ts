import type { MockApp } from '../../mock/app.js';
import { formatAmount } from '../../mock/ledger/money.js';
import { call, demoApp } from './support.js';

/** Keys of the demo seed (mock/seeds/demo.json), also used by {@link RESELLER_SEED}. */
export const DEMO_KEY = 'rs_demo';
export const OTHER_KEY = 'rs_other';

/**
 * The reseller tests' own seed: reseller 4001 at 0.1 a minute with children 4002 and 4003, and a
 * second reseller 5001. The semantics tests keep their figures on it; the demo seed reproduces the
 * public pages' examples instead (test/fidelity/reseller.test.ts).
 */
export const RESELLER_SEED = {
  reseller: {
    resellers: [
      {
        apiKey: DEMO_KEY,
        organizationId: 4001,
        name: 'Demo Reseller',
        balance: 61.813,
        resellerRate: 0.1,
        children: [
          { organizationId: 4002, name: 'Acme', balance: 10, costPerMin: 0.2 },
          { organizationId: 4003, name: 'Globex', balance: 0, costPerMin: 0.15 },
        ],
      },
      {
        apiKey: OTHER_KEY,
        organizationId: 5001,
        name: 'Other Reseller',
        balance: 100,
        resellerRate: 0.12,
        children: [{ organizationId: 5002, name: 'Initech', balance: 5, costPerMin: 0.25 }],
      },
    ],
  },
};

/** A fresh reference server on {@link RESELLER_SEED} with a controlled clock. */
export const resellerApp = (): MockApp => demoApp({ seed: RESELLER_SEED });

export const TRANSFER = '/api/v1/reseller/credits/transfer';
export const REVERT = '/api/v1/reseller/credits/revert';
export const CALCULATE = '/api/v1/reseller/credits/calculate';
export const ORGANIZATIONS = '/api/v1/reseller/organizations';
export const ADD_USER = '/api/v1/reseller/users/add';
export const LOGS = '/api/v1/reseller/credits/logs';

/** A POST as the demo reseller (or `bearer`). */
export function post(app: MockApp, path: string, json: unknown, bearer = DEMO_KEY, headers = {}) {
  return call(app, 'POST', path, { bearer, json, headers });
}

/** USD balance of a reseller-family organization, as the API renders it. */
export function usdOf(app: MockApp, organizationId: number): number {
  return formatAmount(app.world.ledger.balance(`reseller:organization:${organizationId}`, 'usd'), 6);
}

/** Concurrency slots of a reseller-family organization: a reseller's free pool, a child's limit. */
export function slotsOf(app: MockApp, organizationId: number): number {
  return Number(app.world.ledger.balance(`reseller:organization:${organizationId}`, 'slots'));
}

/** Everything a rejected request must leave alone: journal length, every reseller balance and slot. */
export function books(app: MockApp): { journalSize: number; balances: Record<string, number> } {
  const { ledger } = app.world;
  const balances: Record<string, number> = {};
  for (const account of ledger.accounts())
    if (account.family === 'reseller') {
      balances[account.id] = formatAmount(ledger.balance(account.id, 'usd'), 6);
      balances[`${account.id} slots`] = Number(ledger.balance(account.id, 'slots'));
    }
  return { journalSize: ledger.journalSize, balances };
}
