import { defineFamily } from '../../http/family.js';
import { transportError } from '../../http/family-errors.js';
import { setChildConcurrency } from './concurrency.js';
import { calculateCredits, revertCreditsFromChild, transferCreditsToChild } from './credits.js';
import { listCreditLogs } from './logs.js';
import { listResellerOrganizations } from './organizations.js';
import { seedReseller } from './seed.js';
import { FAMILY, type ResellerPrincipal, type ResellerState } from './state.js';
import { addResellerUser } from './users.js';

export type { ResellerPrincipal, ResellerState } from './state.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Reseller allocation (DESIGN.md "Family semantics"): resellers sell minutes to their direct child
 * organizations in USD, and concurrency slots from a shared pool; every movement is one balanced
 * ledger entry.
 */
export const reseller = defineFamily<ResellerState, ResellerPrincipal>({
  family: FAMILY,
  seed: seedReseller,
  authenticate(ledger, _state, request) {
    const key = BEARER.exec(request.header('authorization') ?? '')?.[1];
    const account = key === undefined ? undefined : ledger.findAccount(FAMILY, 'apiKey', key);
    const organizationId = account?.identifiers.find((id) => id.kind === 'organizationId')?.value;
    // Only reseller accounts carry API keys here: no child organization key is ever issued.
    if (typeof organizationId !== 'number')
      return {
        ok: false,
        response: transportError(FAMILY, 'unauthenticated', 'Invalid or missing API key.'),
      };
    return { ok: true, principal: { organizationId } };
  },
  // Keys are scoped to the reseller organization: the one credential it holds.
  scope: (principal) => String(principal.organizationId),
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
