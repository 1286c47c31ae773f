import type { MockApp } from '../../mock/app.js';
import { formatAmount } from '../../mock/ledger/money.js';
import { call } from './support.js';

/** Demo seed facts (mock/seeds/demo.json). */
export const DEMO_KEY = 'rs_demo';
export const OTHER_KEY = 'rs_other';

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

/** Everything a rejected request must leave alone: journal length and every reseller balance. */
export function books(app: MockApp): { journalSize: number; balances: Record<string, number> } {
  const { ledger } = app.world;
  const balances: Record<string, number> = {};
  for (const account of ledger.accounts())
    if (account.family === 'reseller')
      balances[account.id] = formatAmount(ledger.balance(account.id, 'usd'), 6);
  return { journalSize: ledger.journalSize, balances };
}
