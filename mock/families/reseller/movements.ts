import type { Posting } from '../../ledger/journal.js';
import type { JsonObject } from '../../ledger/json.js';
import type { Ledger } from '../../ledger/ledger.js';
import { usdText } from './pricing.js';
import {
  balanceOf,
  type ChildRecord,
  FAMILY,
  PLATFORM_ACCOUNT,
  type ResellerRecord,
  SLOTS,
  slotsOf,
  USD,
} from './state.js';

/** `transaction_type` of a log entry. */
export type MovementType = 'credit_transfer' | 'credit_revert' | 'concurrency_change';

/**
 * What a movement journals in its entry's metadata: the logs endpoint renders these facts as they
 * were at commit time (amounts as exact decimal text). Signs follow the balances (docs/fidelity.md):
 * `costAmount` is the reseller's USD change (negative when it pays), `creditAmount` the child's.
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
  /** The child's concurrent call limit before and after; both 0 for a money movement without slots. */
  readonly previousChannels: number;
  readonly newChannels: number;
  readonly notes: string | null;
}

const MOVEMENT_TYPES: readonly unknown[] = ['credit_transfer', 'credit_revert', 'concurrency_change'];
const NUMBER_FACTS = [
  'resellerOrganization',
  'fromOrganization',
  'toOrganization',
  'minutes',
  'previousChannels',
  'newChannels',
] as const;
const TEXT_FACTS = [
  'creditAmount',
  'costAmount',
  'fromBalanceBefore',
  'fromBalanceAfter',
  'toBalanceBefore',
  'toBalanceAfter',
] as const;

/** Whether journal metadata is a movement's facts (what `commit` below writes), field by field. */
export function isMovementFacts(metadata: JsonObject | null): metadata is MovementFacts {
  return (
    metadata !== null &&
    MOVEMENT_TYPES.includes(metadata.type) &&
    NUMBER_FACTS.every((field) => typeof metadata[field] === 'number') &&
    TEXT_FACTS.every((field) => typeof metadata[field] === 'string') &&
    (metadata.notes === null || typeof metadata.notes === 'string')
  );
}

/** Balances after a movement: USD in micro-dollars, slots whole. */
export interface Moved {
  readonly resellerAfter: bigint;
  readonly childAfter: bigint;
  readonly poolAfter: number;
  readonly childLimitAfter: number;
}

interface MoveInput {
  readonly ledger: Ledger;
  readonly reseller: ResellerRecord;
  readonly child: ChildRecord;
  readonly minutes: number;
  /** The operationId committing the entry. */
  readonly operation: string;
  readonly idempotencyKey: string | null;
  readonly notes: string;
  /** Slots moved from the reseller's pool to the child (negative: back to the pool). */
  readonly slots?: number;
}

/**
 * Sells `minutes`: the reseller pays `costUnits`, the child receives `creditUnits`, and the platform
 * account books the difference. The caller has checked the reseller's balance (and pool, with slots).
 */
export function commitTransfer(
  input: MoveInput & { readonly costUnits: bigint; readonly creditUnits: bigint },
): Moved {
  const { reseller, child } = input;
  const postings: Posting[] = [];
  move(postings, reseller.accountId, child.accountId, USD, input.costUnits);
  move(postings, PLATFORM_ACCOUNT, child.accountId, USD, input.creditUnits - input.costUnits);
  return commit(input, postings, {
    type: 'credit_transfer',
    from: reseller,
    to: child,
    creditUnits: input.creditUnits,
    costUnits: -input.costUnits,
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
  move(postings, child.accountId, reseller.accountId, USD, input.refundUnits);
  move(postings, child.accountId, PLATFORM_ACCOUNT, USD, input.deductionUnits - input.refundUnits);
  return commit(input, postings, {
    type: 'credit_revert',
    from: child,
    to: reseller,
    creditUnits: -input.deductionUnits,
    costUnits: input.refundUnits,
  });
}

/**
 * Moves `slots` between the reseller's pool and the child's limit; no money moves, so the entry's
 * money fields are 0 as the logs page shows for a `CH-` entry. The caller has checked the pool.
 */
export function commitConcurrency(input: MoveInput): Moved {
  return commit(input, [], {
    type: 'concurrency_change',
    from: input.reseller,
    to: input.child,
    creditUnits: 0n,
    costUnits: 0n,
  });
}

/** Appends a posting of `units` from `debit` to `credit`, reversed when negative, none when zero. */
function move(postings: Posting[], debit: string, credit: string, asset: string, units: bigint): void {
  if (units > 0n) postings.push({ debit, credit, asset, amount: units });
  else if (units < 0n) postings.push({ debit: credit, credit: debit, asset, amount: -units });
}

interface Sides {
  readonly type: MovementType;
  readonly from: { readonly organizationId: number; readonly accountId: string };
  readonly to: { readonly organizationId: number; readonly accountId: string };
  /** Signed: the child's USD change. */
  readonly creditUnits: bigint;
  /** Signed: the reseller's USD change. */
  readonly costUnits: bigint;
}

function commit(input: MoveInput, moneyPostings: readonly Posting[], sides: Sides): Moved {
  const { ledger, reseller, child } = input;
  const postings = [...moneyPostings];
  const slots = BigInt(input.slots ?? 0);
  move(postings, reseller.accountId, child.accountId, SLOTS, slots);
  // Channel fields describe the slots an entry moves: a money movement that moves none shows 0, 0, 0
  // as the logs page's credit transfer does; a concurrency change always shows the child's limits.
  const channels = slots !== 0n || sides.type === 'concurrency_change';
  const previousChannels = channels ? slotsOf(ledger, child.accountId) : 0;
  // A concurrency entry shows 0 for all four balances, as the logs page's `CH-` example does.
  const money = sides.type !== 'concurrency_change';
  const fromBefore = money ? balanceOf(ledger, sides.from.accountId) : 0n;
  const toBefore = money ? balanceOf(ledger, sides.to.accountId) : 0n;
  // The child's USD changes by `creditUnits`, the reseller's by `costUnits`.
  const change = (accountId: string): bigint =>
    !money ? 0n : accountId === child.accountId ? sides.creditUnits : sides.costUnits;
  const facts: MovementFacts = {
    type: sides.type,
    resellerOrganization: reseller.organizationId,
    fromOrganization: sides.from.organizationId,
    toOrganization: sides.to.organizationId,
    minutes: input.minutes,
    creditAmount: usdText(sides.creditUnits),
    costAmount: usdText(sides.costUnits),
    fromBalanceBefore: usdText(fromBefore),
    fromBalanceAfter: usdText(fromBefore + change(sides.from.accountId)),
    toBalanceBefore: usdText(toBefore),
    toBalanceAfter: usdText(toBefore + change(sides.to.accountId)),
    previousChannels,
    newChannels: previousChannels + Number(slots),
    notes: input.notes,
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
    poolAfter: slotsOf(ledger, reseller.accountId),
    childLimitAfter: slotsOf(ledger, child.accountId),
  };
}
