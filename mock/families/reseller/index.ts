import { defineFamily } from '../../family-kit/define-family.js';
import type { SpecApi } from '../../family-kit/family.js';
import { specFamily } from '../spec.js';
import { setChildConcurrency } from './concurrency.js';
import { calculateCredits, revertCreditsFromChild, transferCreditsToChild } from './credits.js';
import { resellerErrors, unauthorized } from './errors.js';
import { listCreditLogs } from './logs.js';
import { listResellerOrganizations } from './organizations.js';
import { USD_SCALE } from './pricing.js';
import { seedReseller } from './seed.js';
import { FAMILY, type ResellerPrincipal, type ResellerState, SLOTS, USD } from './state.js';
import { addResellerUser } from './users.js';

export type { ResellerPrincipal, ResellerState } from './state.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

type ResellerApi = SpecApi<
  | 'calculateCredits'
  | 'transferCreditsToChild'
  | 'revertCreditsFromChild'
  | 'listResellerOrganizations'
  | 'addResellerUser'
  | 'listCreditLogs'
  | 'setChildConcurrency'
>;

/**
 * Reseller allocation (docs/ledger-semantics.md, "Reseller allocation"): resellers sell minutes to their direct child
 * organizations in USD, and concurrency slots from a shared pool; every movement is one balanced
 * ledger entry.
 */
export const reseller = defineFamily<ResellerState, ResellerPrincipal, ResellerApi>({
  ...specFamily(FAMILY),
  prefixes: ['/api/v1/reseller'],
  errors: resellerErrors,
  assets: [
    { asset: USD, scale: USD_SCALE },
    // Concurrency slots: a reseller's shared pool and each child's concurrent call limit (docs/decisions.md, "Reseller fidelity").
    { asset: SLOTS, scale: 0 },
  ],
  seed: seedReseller,
  authenticate({ ledger, request }) {
    const key = BEARER.exec(request.header('authorization') ?? '')?.[1];
    const account = key === undefined ? undefined : ledger.findAccount(FAMILY, 'apiKey', key);
    const organizationId = account?.identifiers.find((id) => id.kind === 'organizationId')?.value;
    // Only reseller accounts carry API keys here: no child organization key is ever issued.
    if (typeof organizationId !== 'number') return { ok: false, response: unauthorized() };
    return { ok: true, principal: { organizationId } };
  },
  // Keys are scoped to the reseller organization: the one credential it holds.
  idempotency: { scope: (principal) => String(principal.organizationId) },
  operations: {
    calculateCredits,
    transferCreditsToChild,
    revertCreditsFromChild,
    listResellerOrganizations,
    addResellerUser,
    listCreditLogs,
    setChildConcurrency,
  },
});
