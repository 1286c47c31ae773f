import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import { insufficientConcurrency, notDirectChild } from './errors.js';
import { commitConcurrency } from './movements.js';
import { directChild, type ResellerPrincipal, type ResellerState, resellerOf, slotsOf } from './state.js';

type Context = SpecContext<ResellerState, ResellerPrincipal, 'setChildConcurrency'>;

/**
 * Sets a direct child's concurrent call limit. Slots are conserved like money: raising the limit by
 * `d` moves `d` slots from the reseller's pool to the child (refused when the pool holds fewer),
 * lowering it moves them back at once; either way one journal entry and one `CH-` log entry.
 */
export function setChildConcurrency(context: Context): MockResponse {
  const { ledger, state, body } = context;
  const reseller = resellerOf(state, context.principal.organizationId);
  const organizationId = body.child_organization_id;
  const child = directChild(state, reseller, organizationId);
  if (child === undefined) return notDirectChild(organizationId);
  const newLimit = body.new_limit;
  const previous = slotsOf(ledger, child.accountId);
  const pool = slotsOf(ledger, reseller.accountId);
  const delta = newLimit - previous;
  if (delta > pool)
    return insufficientConcurrency(
      `raising the limit of organization ${organizationId} from ${previous} to ${newLimit}`,
      delta,
      pool,
    );
  const moved = commitConcurrency({
    ledger,
    reseller,
    child,
    minutes: 0,
    slots: delta,
    operation: context.operationId,
    idempotencyKey: context.idempotencyKey,
    notes: `Concurrency limit changed from ${previous} to ${newLimit}`,
  });
  return {
    status: 200,
    body: {
      success: true,
      message: 'Concurrency limit updated successfully.',
      child_limit: moved.childLimitAfter,
      reseller_available: moved.poolAfter,
    },
  };
}
