import type { FamilyKey } from './core/family.js';

/**
 * Every SDK method as one space-separated line, `METHOD path [flags [operationId]]`, like a routes
 * file (a line is smaller in the bundle than an array). `path` is below the family's prefix. One
 * table instead of 34 hand-written functions keeps the bundle small; the types of each method come
 * from the generated `operations` of openapi.yaml (see `types.ts`). The operationId defaults to the
 * method name, so it is written only where the two differ. Flags: `s` the dashboard session is
 * required (billing), `n` no credential (credit-send login), `o` no body and no query: per-call
 * options come first; `-` none.
 */
export const OPERATIONS = {
  whiteLabel: {
    listUsers: 'GET white-label/users o listWhiteLabelUsers',
    register: 'POST white-label/register - registerWhiteLabelUser',
    createToken: 'POST white-label/token - createWhiteLabelToken',
    login: 'POST white-label/login - loginWhiteLabelUser',
    transfer: 'POST white-label/transfer - transferWhiteLabelBalance',
    me: 'GET user/me o getCurrentUser',
  },
  reseller: {
    calculate: 'POST credits/calculate - calculateCredits',
    transfer: 'POST credits/transfer - transferCreditsToChild',
    revert: 'POST credits/revert - revertCreditsFromChild',
    listOrganizations: 'GET organizations o listResellerOrganizations',
    addUser: 'POST users/add - addResellerUser',
    listCreditLogs: 'GET credits/logs',
  },
  creditSend: {
    login: 'POST user/login n',
    send: 'POST credits/send - sendCredits',
  },
  billing: {
    getWallet: 'GET wallet o',
    topUp: 'POST wallet/topup s topUpWallet',
    setAutoReload: 'PUT wallet/auto-reload s',
    credit: 'POST wallet/credit - creditWallet',
    listUsage: 'GET usage',
    listUsageItems: 'GET usage/items',
    listPlans: 'GET plans o',
    getSubscription: 'GET subscription o',
    changeSubscription: 'POST subscription s',
    listInvoices: 'GET invoices',
  },
} as const satisfies Record<FamilyKey, Record<string, string>>;

export type Operations = typeof OPERATIONS;
