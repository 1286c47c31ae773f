import type { OperationId } from '../../../generated/operations.js';
import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import { AmountError } from '../../ledger/money.js';
import {
  insufficientBalance,
  invalidCostPerMin,
  notDirectChild,
  resellerValidationError,
  tooLarge,
} from './errors.js';
import { commitRevert, commitTransfer } from './movements.js';
import {
  coveredMinutes,
  fitsJson,
  parseRate,
  priceNote,
  rate,
  rateText,
  revertFigures,
  transferFigures,
  usd,
} from './pricing.js';
import {
  balanceOf,
  type ChildRecord,
  directChild,
  type ResellerPrincipal,
  type ResellerRecord,
  type ResellerState,
  resellerOf,
} from './state.js';

type Context<Id extends OperationId> = SpecContext<ResellerState, ResellerPrincipal, Id>;

/** A price from the body in 1/10000 USD, or the family's 400 when it has too many decimals. */
export function priceField(value: number, field: string): bigint | MockResponse {
  try {
    return parseRate(value, field);
  } catch (error) {
    if (error instanceof AmountError)
      return resellerValidationError({ [field]: ['must have at most 4 decimals'] });
    throw error;
  }
}

/** The price a reseller may sell at, or `invalid_cost_per_min` when it is below its rate. */
export function checkPrice(reseller: ResellerRecord, priceUnits: bigint): MockResponse | null {
  return priceUnits < parseRate(reseller.resellerRate, 'resellerRate')
    ? invalidCostPerMin(rateText(priceUnits), reseller.resellerRate)
    : null;
}

const isResponse = (value: bigint | MockResponse): value is MockResponse => typeof value !== 'bigint';

/** The direct child `organizationId` of the reseller, or the 403 every other id answers. */
function childFrom(
  state: ResellerState,
  reseller: ResellerRecord,
  organizationId: number,
): ChildRecord | MockResponse {
  return directChild(state, reseller, organizationId) ?? notDirectChild(organizationId);
}

/** Previews a transfer or a revert with the same arithmetic the operations use; nothing moves. */
export function calculateCredits(context: Context<'calculateCredits'>): MockResponse {
  const { ledger, state, body } = context;
  const reseller = resellerOf(state, context.principal.organizationId);
  const { minutes } = body;
  const rateUnits = parseRate(reseller.resellerRate, 'resellerRate');
  let child: ChildRecord | undefined;
  if (body.child_organization_id !== undefined) {
    const found = childFrom(state, reseller, body.child_organization_id);
    if ('status' in found) return found;
    child = found;
  }
  const resellerBalance = balanceOf(ledger, reseller.accountId);

  if (body.is_revert === true) {
    if (child === undefined)
      return resellerValidationError({ child_organization_id: ['is required when is_revert is true'] });
    // A revert always deducts at the child's current price, so `cost_per_min` plays no part here.
    const childPrice = parseRate(child.costPerMin, 'costPerMin');
    const figures = revertFigures(minutes, rateUnits, childPrice);
    const childBalance = balanceOf(ledger, child.accountId);
    if (!fitsJson(figures.deductionUnits, figures.refundUnits, childBalance - figures.deductionUnits))
      return tooLarge();
    return {
      status: 200,
      body: {
        success: true,
        refund_amount: usd(figures.refundUnits),
        deduction_amount: usd(figures.deductionUnits),
        child_balance: usd(childBalance),
        child_available_minutes: coveredMinutes(childBalance, childPrice),
        new_child_balance: usd(childBalance - figures.deductionUnits),
        reseller_rate: rate(rateUnits),
        currency_symbol: '$',
      },
    };
  }

  let priceUnits = child === undefined ? rateUnits : parseRate(child.costPerMin, 'costPerMin');
  if (body.cost_per_min !== undefined) {
    const parsed = priceField(body.cost_per_min, 'cost_per_min');
    if (isResponse(parsed)) return parsed;
    priceUnits = parsed;
  }
  const refused = checkPrice(reseller, priceUnits);
  if (refused) return refused;
  const figures = transferFigures(minutes, rateUnits, priceUnits);
  if (!fitsJson(figures.costUnits, figures.creditUnits, resellerBalance - figures.costUnits))
    return tooLarge();
  return {
    status: 200,
    body: {
      success: true,
      my_cost: usd(figures.costUnits),
      user_credit: usd(figures.creditUnits),
      profit: usd(figures.creditUnits - figures.costUnits),
      margin: rate(priceUnits - rateUnits),
      reseller_balance: usd(resellerBalance),
      reseller_available_minutes: coveredMinutes(resellerBalance, rateUnits),
      new_reseller_balance: usd(resellerBalance - figures.costUnits),
      reseller_rate: rate(rateUnits),
      currency_symbol: '$',
    },
  };
}

/** Sells minutes to a direct child at `cost_per_min`; the child's price becomes that price. */
export function transferCreditsToChild(context: Context<'transferCreditsToChild'>): MockResponse {
  const { ledger, state, body } = context;
  const reseller = resellerOf(state, context.principal.organizationId);
  const child = childFrom(state, reseller, body.to_organization_id);
  if ('status' in child) return child;
  const priceUnits = priceField(body.cost_per_min, 'cost_per_min');
  if (isResponse(priceUnits)) return priceUnits;
  const refused = checkPrice(reseller, priceUnits);
  if (refused) return refused;
  const { minutes } = body;
  const figures = transferFigures(minutes, parseRate(reseller.resellerRate, 'resellerRate'), priceUnits);
  const available = balanceOf(ledger, reseller.accountId);
  if (available < figures.costUnits)
    return insufficientBalance('the transfer costs', figures.costUnits, available);
  if (!fitsJson(figures.creditUnits, balanceOf(ledger, child.accountId) + figures.creditUnits))
    return tooLarge();
  const moved = commitTransfer({
    ledger,
    reseller,
    child,
    minutes,
    operation: context.operationId,
    idempotencyKey: context.idempotencyKey,
    notes: `Transfer of ${minutes} minutes at ${priceNote(priceUnits)}/min`,
    ...figures,
  });
  child.costPerMin = rateText(priceUnits);
  return {
    status: 200,
    body: {
      success: true,
      message: 'Credits allocated successfully',
      new_from_balance: usd(moved.resellerAfter),
      new_to_balance: usd(moved.childAfter),
    },
  };
}

/** Takes minutes back from a direct child at its price and refunds them at the reseller rate. */
export function revertCreditsFromChild(context: Context<'revertCreditsFromChild'>): MockResponse {
  const { ledger, state, body } = context;
  const reseller = resellerOf(state, context.principal.organizationId);
  const child = childFrom(state, reseller, body.from_organization_id);
  if ('status' in child) return child;
  const { minutes } = body;
  const childPrice = parseRate(child.costPerMin, 'costPerMin');
  const figures = revertFigures(minutes, parseRate(reseller.resellerRate, 'resellerRate'), childPrice);
  const available = balanceOf(ledger, child.accountId);
  if (available < figures.deductionUnits)
    return insufficientBalance('the revert deducts', figures.deductionUnits, available);
  if (!fitsJson(balanceOf(ledger, reseller.accountId) + figures.refundUnits)) return tooLarge();
  const moved = commitRevert({
    ledger,
    reseller,
    child,
    minutes,
    operation: context.operationId,
    idempotencyKey: context.idempotencyKey,
    notes: `Revert of ${minutes} minutes at ${priceNote(childPrice)}/min`,
    ...figures,
  });
  return {
    status: 200,
    body: {
      success: true,
      message: 'Credits reverted successfully',
      new_from_balance: usd(moved.childAfter),
      new_to_balance: usd(moved.resellerAfter),
    },
  };
}
