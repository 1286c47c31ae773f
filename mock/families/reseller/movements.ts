import type { Posting } from '../../ledger/journal.js';
import type { Ledger } from '../../ledger/ledger.js';
import { usdText } from './pricing.js';
import { balanceOf, type ChildRecord, FAMILY, PLATFORM_ACCOUNT, type ResellerRecord, USD } from './state.js';

/** `transaction_type` of a log entry. */
export type MovementType = 'credit_transfer' | 'credit_revert';

/**
 * What a transfer or revert journals in its entry's metadata: the logs endpoint renders these facts
 * as they were at commit time (amounts as exact decimal text).
 */
export interface MovementFacts {
  readonly [key: string]: string | number | null;
  readonly type: MovementType;
  readonly resellerOrganization: number;
  readonly fromOrganization: number;
  readonly toOrganization: number;
  readonly minutes: number;
  readonly creditAmount: string;
  readonly costAmount: string;
  readonly fromBalanceBefore: string;
  readonly fromBalanceAfter: string;
  readonly toBalanceBefore: string;
  readonly toBalanceAfter: string;
  readonly notes: string | null;
}

/** Balances after a movement, in micro-dollars. */
export interface Moved {
  readonly resellerAfter: bigint;
  readonly childAfter: bigint;
}

interface MoveInput {
  readonly ledger: Ledger;
  readonly reseller: ResellerRecord;
  readonly child: ChildRecord;
  readonly minutes: number;
  /** The operationId committing the entry. */
  readonly operation: string;
  readonly idempotencyKey: string | null;
  readonly notes?: string;
}

/**
 * Sells `minutes` at `priceUnits`: the reseller pays `costUnits`, the child receives `creditUnits`,
 * and the platform account books the difference. The caller has checked the reseller's balance.
 */
export function commitTransfer(
  input: MoveInput & { readonly costUnits: bigint; readonly creditUnits: bigint },
): Moved {
  const { reseller, child } = input;
  const postings: Posting[] = [];
  move(postings, reseller.accountId, child.accountId, input.costUnits);
  move(postings, PLATFORM_ACCOUNT, child.accountId, input.creditUnits - input.costUnits);
  return commit(input, postings, {
    type: 'credit_transfer',
    from: reseller,
    to: child,
    creditUnits: input.creditUnits,
    costUnits: input.costUnits,
  });
}

/**
 * Takes `deductionUnits` back from the child and refunds `refundUnits` to the reseller; the platform
 * account books the difference. The caller has checked the child's balance.
 */
export function commitRevert(
  input: MoveInput & { readonly deductionUnits: bigint; readonly refundUnits: bigint },
): Moved {
  const { reseller, child } = input;
  const postings: Posting[] = [];
  move(postings, child.accountId, reseller.accountId, input.refundUnits);
  move(postings, child.accountId, PLATFORM_ACCOUNT, input.deductionUnits - input.refundUnits);
  return commit(input, postings, {
    type: 'credit_revert',
    from: child,
    to: reseller,
    creditUnits: input.deductionUnits,
    costUnits: input.refundUnits,
  });
}

/** Appends a posting of `units` from `debit` to `credit`, reversed when negative, none when zero. */
function move(postings: Posting[], debit: string, credit: string, units: bigint): void {
  if (units > 0n) postings.push({ debit, credit, asset: USD, amount: units });
  else if (units < 0n) postings.push({ debit: credit, credit: debit, asset: USD, amount: -units });
}

interface Sides {
  readonly type: MovementType;
  readonly from: { readonly organizationId: number; readonly accountId: string };
  readonly to: { readonly organizationId: number; readonly accountId: string };
  readonly creditUnits: bigint;
  readonly costUnits: bigint;
}

function commit(input: MoveInput, postings: readonly Posting[], sides: Sides): Moved {
  const { ledger, reseller, child } = input;
  const fromBefore = balanceOf(ledger, sides.from.accountId);
  const toBefore = balanceOf(ledger, sides.to.accountId);
  const changes = ledger.preview({ family: FAMILY, operation: input.operation, postings });
  const after = (accountId: string, before: bigint): bigint =>
    changes.find((change) => change.accountId === accountId)?.after ?? before;
  const facts: MovementFacts = {
    type: sides.type,
    resellerOrganization: reseller.organizationId,
    fromOrganization: sides.from.organizationId,
    toOrganization: sides.to.organizationId,
    minutes: input.minutes,
    creditAmount: usdText(sides.creditUnits),
    costAmount: usdText(sides.costUnits),
    fromBalanceBefore: usdText(fromBefore),
    fromBalanceAfter: usdText(after(sides.from.accountId, fromBefore)),
    toBalanceBefore: usdText(toBefore),
    toBalanceAfter: usdText(after(sides.to.accountId, toBefore)),
    notes: input.notes ?? null,
  };
  const entry = ledger.commit({
    family: FAMILY,
    operation: input.operation,
    idempotencyKey: input.idempotencyKey,
    metadata: facts,
    postings,
  });
  reseller.logs.push([entry.id, entry.timeMs]);
  return {
    resellerAfter: balanceOf(ledger, reseller.accountId),
    childAfter: balanceOf(ledger, child.accountId),
  };
}
