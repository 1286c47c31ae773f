import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import { checkPrice, priceField } from './credits.js';
import { insufficientBalance, insufficientConcurrency, resellerValidationError, tooLarge } from './errors.js';
import { commitConcurrency, commitTransfer } from './movements.js';
import { fitsJson, parseRate, priceNote, rate, rateText, transferFigures, usd } from './pricing.js';
import { createdNow } from './seed.js';
import {
  balanceOf,
  type ChildRecord,
  FAMILY,
  organizationAccountId,
  type ResellerPrincipal,
  type ResellerState,
  resellerOf,
  slotsOf,
} from './state.js';

type Context = SpecContext<ResellerState, ResellerPrincipal, 'addResellerUser'>;

/**
 * Creates a user in a new direct child organization `<name>'s Organization`, priced at
 * `cost_per_min` (default: the reseller rate). Welcome minutes are sold like a transfer at that
 * price; `concurrent_call_limit` slots (default 0) come from the reseller's pool. Both move in one
 * journal entry. Every check runs before the organization's account opens: a refused request leaves
 * nothing behind.
 */
export function addResellerUser(context: Context): MockResponse {
  const { ledger, state, body } = context;
  const reseller = resellerOf(state, context.principal.organizationId);
  const { email, name } = body;
  const taken = reseller.childIds.some((id) =>
    state.children[id]?.users.some((user) => user.email.toLowerCase() === email.toLowerCase()),
  );
  if (taken) return resellerValidationError({ email: ['has already been taken'] });

  const rateUnits = parseRate(reseller.resellerRate, 'resellerRate');
  let priceUnits = rateUnits;
  if (body.cost_per_min !== undefined) {
    const parsed = priceField(body.cost_per_min, 'cost_per_min');
    if (typeof parsed !== 'bigint') return parsed;
    priceUnits = parsed;
  }
  const refused = checkPrice(reseller, priceUnits);
  if (refused) return refused;
  const welcomeMinutes = body.welcome_minutes_to_credit ?? 0;
  const figures = transferFigures(welcomeMinutes, rateUnits, priceUnits);
  const available = balanceOf(ledger, reseller.accountId);
  if (available < figures.costUnits)
    return insufficientBalance('the welcome minutes cost', figures.costUnits, available);
  if (!fitsJson(figures.creditUnits)) return tooLarge();
  const slots = body.concurrent_call_limit ?? 0;
  const pool = slotsOf(ledger, reseller.accountId);
  if (slots > pool) return insufficientConcurrency(`a concurrent_call_limit of ${slots}`, slots, pool);

  const organizationId = state.nextOrganizationId++;
  const userId = state.nextUserId++;
  const child: ChildRecord = {
    organizationId,
    accountId: organizationAccountId(organizationId),
    resellerId: reseller.organizationId,
    name: `${name}'s Organization`,
    costPerMin: rateText(priceUnits),
    currency: body.user_currency ?? 'USD',
    timezone: 'UTC',
    createdDate: createdNow(ledger),
    users: [
      {
        id: userId,
        name,
        email,
        phone: body.phone,
        expiryDate: body.expiry_date ?? null,
        loginDate: null,
      },
    ],
  };
  ledger.openAccount({
    id: child.accountId,
    family: FAMILY,
    kind: 'organization',
    parent: reseller.accountId,
    identifiers: [{ kind: 'organizationId', value: organizationId }],
  });
  state.children[organizationId] = child;
  reseller.childIds.push(organizationId);
  const movement = {
    ledger,
    reseller,
    child,
    minutes: welcomeMinutes,
    slots,
    operation: context.operationId,
    idempotencyKey: context.idempotencyKey,
  };
  if (welcomeMinutes > 0)
    commitTransfer({
      ...movement,
      notes: `Welcome transfer of ${welcomeMinutes} minutes at ${priceNote(priceUnits)}/min for user ${userId}`,
      ...figures,
    });
  else if (slots > 0)
    commitConcurrency({ ...movement, notes: `Concurrency limit changed from 0 to ${slots}` });
  return {
    status: 200,
    body: {
      success: true,
      message: 'User and organization created successfully',
      user_id: userId,
      organization_id: organizationId,
      organization_name: child.name,
      organization_balance: usd(balanceOf(ledger, child.accountId)),
      cost_per_min: rate(priceUnits),
    },
  };
}
