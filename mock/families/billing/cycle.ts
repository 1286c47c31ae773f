import type { OperationId } from '../../../generated/operations.js';
import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import { isLedgerError } from '../../ledger/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { parseAmount } from '../../ledger/money.js';
import type { BillingPrincipal } from './auth.js';
import { type At, addInvoice, atNow, debitWallet } from './books.js';
import { addUsageItem } from './metering.js';
import {
  fieldError,
  insufficientFunds,
  monthName,
  ok,
  planOf,
  subscriptionView,
  usdOfCents,
  usdOfCreditUnits,
  walletBalance,
} from './responses.js';
import { type BillingState, centsToCreditUnits, type Organization, type Plan } from './state.js';
import { organizationOf } from './wallet.js';

type Context<Id extends OperationId> = SpecContext<BillingState, BillingPrincipal, Id>;

const priceCents = (plan: Plan): number => Number(parseAmount(plan.monthlyPriceUsd, 2));

/**
 * Charges a plan's monthly price and, when paid, starts its allowance and issues a paid invoice.
 * Returns false (nothing changed) when the wallet cannot cover it.
 */
function chargePlan(
  ledger: Ledger,
  state: BillingState,
  org: Organization,
  plan: Plan,
  operation: string,
  at: At,
): boolean {
  const cents = priceCents(plan);
  try {
    debitWallet(ledger, state, org, centsToCreditUnits(cents), operation, { planId: plan.id }, at);
  } catch (error) {
    if (isLedgerError(error, 'insufficient_funds')) return false;
    throw error;
  }
  if (cents > 0) addInvoice(state, org, cents, `${plan.name} plan, ${monthName(at.timeMs)}`, at);
  org.planId = plan.id;
  org.includedMinuteUnits = plan.includedMinutes * 100;
  return true;
}

/** Month boundary of one organization: number rentals first, then the plan renewal. */
function closeMonth(ledger: Ledger, state: BillingState, org: Organization, at: At): void {
  if (org.numbers > 0) {
    const quantityUnits = BigInt(org.numbers) * 100n;
    const creditUnits = BigInt(org.numbers) * BigInt(org.rates.numberPerMonthCreditUnits);
    const count = org.numbers === 1 ? '' : `, ${org.numbers} numbers`;
    try {
      debitWallet(ledger, state, org, creditUnits, 'rental', { numbers: org.numbers }, at);
      addUsageItem(state, org, at, {
        type: 'rental',
        channel: 'number',
        quantityUnits,
        creditUnits,
        description: `Phone number rental${count}, ${monthName(at.timeMs)}`,
        agentId: null,
      });
    } catch (error) {
      if (!isLedgerError(error, 'insufficient_funds')) throw error;
      // docs/decisions.md: an unpaid rental releases the numbers, as an unpaid plan drops the plan.
      org.numbers = 0;
    }
  }
  const plan = planOf(org);
  if (plan !== null && chargePlan(ledger, state, org, plan, 'renewal', at)) return;
  org.planId = null;
  org.includedMinuteUnits = 0;
}

/** The clock listener: every organization, at the boundary instant. Never throws (Clock contract). */
export function onMonthBoundary(ledger: Ledger, state: BillingState, boundaryMs: number): void {
  const at: At = { timeMs: boundaryMs, boundary: true, idempotencyKey: null };
  for (const org of Object.values(state.organizations)) {
    try {
      closeMonth(ledger, state, org, at);
    } catch (error) {
      console.error(`ledgerline-mock: billing month boundary failed for ${org.id}:`, error);
    }
  }
}

export function listPlans(context: Context<'listPlans'>): MockResponse {
  return ok(organizationOf(context).plans);
}

export function getSubscription(context: Context<'getSubscription'>): MockResponse {
  return ok(subscriptionView(organizationOf(context), context.ledger.clock.now()));
}

/** `POST /billing/subscription {planId}`: charges the new plan at once; `null` is pay-as-you-go. */
export function changeSubscription(context: Context<'changeSubscription'>): MockResponse {
  const { ledger, state } = context;
  const org = organizationOf(context);
  const at = atNow(ledger, context.idempotencyKey);
  const planId = context.body.planId;
  if (planId === null) {
    org.planId = null;
    org.includedMinuteUnits = 0;
    return ok(subscriptionView(org, at.timeMs));
  }
  const plan = org.plans.find((p) => p.id === planId);
  if (plan === undefined) return fieldError('planId', 'must be a known plan id or null');
  const available = walletBalance(ledger, org);
  if (!chargePlan(ledger, state, org, plan, 'changeSubscription', at))
    return insufficientFunds(
      `The wallet balance of ${usdOfCreditUnits(available)} USD cannot cover the monthly price of ${usdOfCents(priceCents(plan))} USD.`,
    );
  return ok(subscriptionView(org, at.timeMs));
}
