import type { OperationContext } from '../../http/family.js';
import { validationError } from '../../http/family-errors.js';
import type { MockResponse } from '../../http/types.js';
import { checkPrice, priceField } from './credits.js';
import { insufficientBalance, tooLarge } from './errors.js';
import { commitTransfer } from './movements.js';
import { fitsJson, parseRate, rate, rateText, transferFigures, usd } from './pricing.js';
import {
  balanceOf,
  type ChildRecord,
  DEFAULT_CHILD_CALL_LIMIT,
  FAMILY,
  organizationAccountId,
  type ResellerPrincipal,
  type ResellerState,
  resellerOf,
} from './state.js';

type Context = OperationContext<ResellerState, ResellerPrincipal>;

/** The caller's organization and its direct children, in creation order. */
export function listResellerOrganizations(context: Context): MockResponse {
  const { ledger, state } = context;
  const reseller = resellerOf(state, context.principal.organizationId);
  const organizations = reseller.childIds.map((id) => {
    const child = state.children[id] as ChildRecord;
    return {
      id: child.organizationId,
      name: child.name,
      cost_per_min: rate(parseRate(child.costPerMin, 'costPerMin')),
      org_balance: usd(balanceOf(ledger, child.accountId)),
      concurrent_call_limit: child.concurrentCallLimit,
      timezone: child.timezone,
      created_date: child.createdDate,
      total_users: child.users.length,
      users: child.users.map(({ id: userId, name, email }) => ({ id: userId, name, email })),
    };
  });
  return {
    status: 200,
    body: {
      success: true,
      reseller_organization: {
        id: reseller.organizationId,
        name: reseller.name,
        concurrent_call_limit: reseller.concurrentCallLimit,
      },
      organizations,
      total_organizations: organizations.length,
      total_users_across_orgs: organizations.reduce((sum, org) => sum + org.total_users, 0),
    },
  };
}

/**
 * Creates a user in a new direct child organization named after it, priced at `cost_per_min`
 * (default: the reseller rate). Welcome minutes are sold like a transfer at that price. Every check
 * runs before the organization's account opens: a refused request leaves nothing behind.
 */
export function addResellerUser(context: Context): MockResponse {
  const { ledger, state, body } = context;
  const reseller = resellerOf(state, context.principal.organizationId);
  const email = body.email as string;
  const name = body.name as string;
  const taken = reseller.childIds.some((id) =>
    state.children[id]?.users.some((user) => user.email.toLowerCase() === email.toLowerCase()),
  );
  if (taken) return validationError(FAMILY, { email: ['has already been taken'] });

  const rateUnits = parseRate(reseller.resellerRate, 'resellerRate');
  let priceUnits = rateUnits;
  if (body.cost_per_min !== undefined) {
    const parsed = priceField(body.cost_per_min, 'cost_per_min');
    if (typeof parsed !== 'bigint') return parsed;
    priceUnits = parsed;
  }
  const refused = checkPrice(reseller, priceUnits);
  if (refused) return refused;
  const welcomeMinutes = (body.welcome_minutes_to_credit as number | undefined) ?? 0;
  const figures = transferFigures(welcomeMinutes, rateUnits, priceUnits);
  const available = balanceOf(ledger, reseller.accountId);
  if (available < figures.costUnits)
    return insufficientBalance('the welcome minutes cost', figures.costUnits, available);
  if (!fitsJson(figures.creditUnits)) return tooLarge();

  const organizationId = state.nextOrganizationId++;
  const userId = state.nextUserId++;
  const child: ChildRecord = {
    organizationId,
    accountId: organizationAccountId(organizationId),
    resellerId: reseller.organizationId,
    name,
    costPerMin: rateText(priceUnits),
    concurrentCallLimit: (body.concurrent_call_limit as number | undefined) ?? DEFAULT_CHILD_CALL_LIMIT,
    timezone: 'UTC',
    createdDate: ledger.clock.isoNow(),
    users: [{ id: userId, name, email }],
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
  if (welcomeMinutes > 0)
    commitTransfer({
      ledger,
      reseller,
      child,
      minutes: welcomeMinutes,
      operation: context.operationId,
      idempotencyKey: context.idempotencyKey,
      notes: `Welcome minutes for user ${userId}.`,
      ...figures,
    });
  return {
    status: 201,
    body: {
      success: true,
      message: 'User added successfully',
      user_id: userId,
      organization_id: organizationId,
      organization_name: name,
      organization_balance: usd(balanceOf(ledger, child.accountId)),
      cost_per_min: rate(priceUnits),
    },
  };
}
