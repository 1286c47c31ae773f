import { defineFamily } from '../../family-kit/define-family.js';
import type { SpecApi } from '../../family-kit/family.js';
import { specFamily } from '../spec.js';
import { authenticate, type BillingPrincipal } from './auth.js';
import { changeSubscription, getSubscription, listPlans, onMonthBoundary } from './cycle.js';
import { billingErrors } from './errors.js';
import { listInvoices, listUsage, listUsageItems } from './lists.js';
import { seedBilling } from './seed.js';
import { ASSET, type BillingState } from './state.js';
import { creditWalletOperation, getWallet, setAutoReload, topUpWallet } from './wallet.js';

/**
 * Wallet and usage (tag `billing`): a prepaid wallet in credits (1 credit = 1 US cent), top-ups in
 * through payments, metered usage, plan charges and number rentals out to revenue.
 */
type BillingApi = SpecApi<
  | 'getWallet'
  | 'topUpWallet'
  | 'setAutoReload'
  | 'creditWallet'
  | 'listUsage'
  | 'listUsageItems'
  | 'listPlans'
  | 'getSubscription'
  | 'changeSubscription'
  | 'listInvoices'
>;

export const billing = defineFamily<BillingState, BillingPrincipal, BillingApi>({
  ...specFamily('billing'),
  prefixes: ['/api/v1/billing'],
  errors: billingErrors,
  // 1 wallet credit = 1 US cent, so balanceUsd = credits / 100.
  assets: [{ asset: ASSET, scale: 2 }],
  seed: seedBilling,
  attach: (ledger, state) =>
    ledger.clock.onMonthBoundary((boundaryMs) => onMonthBoundary(ledger, state, boundaryMs)),
  authenticate,
  // docs/decisions.md: keys are scoped to the organization and the kind of credential.
  idempotency: { scope: (principal) => `${principal.organizationId}:${principal.kind}` },
  operations: {
    getWallet,
    topUpWallet,
    setAutoReload,
    creditWallet: creditWalletOperation,
    listUsage,
    listUsageItems,
    listPlans,
    getSubscription,
    changeSubscription,
    listInvoices,
  },
});

export { recordUsage } from './metering.js';
export type { BillingState } from './state.js';
export { failPayment, settlePayment } from './wallet.js';
