import type { components } from '../../../generated/openapi.js';
import { SeedError } from '../../family-kit/family.js';
import { idTable, seedId } from '../../family-kit/id-table.js';
import type { Ledger } from '../../ledger/ledger.js';
import { AmountError, parseAmount } from '../../ledger/money.js';
import type { SeedSection } from '../../seed-types.js';
import {
  ASSET,
  type AutoReload,
  type BillingState,
  type Credential,
  type Organization,
  type Plan,
  type Rates,
  SYSTEM,
  walletIdOf,
} from './state.js';

type SeedBilling = SeedSection<'billing'>;
type SeedOrganization = components['schemas']['SeedBillingOrganization'];

/** docs/decisions.md: the documented default plans. */
export const DEFAULT_PLANS: readonly Plan[] = [
  { id: 'starter', name: 'Starter', monthlyPriceUsd: 49, includedMinutes: 500, overageRate: 12 },
  { id: 'growth', name: 'Growth', monthlyPriceUsd: 149, includedMinutes: 2000, overageRate: 10 },
  { id: 'scale', name: 'Scale', monthlyPriceUsd: 499, includedMinutes: 8000, overageRate: 8 },
];

/** docs/decisions.md: pay-as-you-go prices in credits. */
const DEFAULT_RATES = {
  voicePerMinute: 15,
  chatPerMessage: 1,
  transferPerMinute: 10,
  tollFreePerMinute: 2,
  numberPerMonth: 150,
} as const;

/** A seed amount at `scale` decimals as a safe integer, or a SeedError naming the field. */
function units(value: number, scale: number, path: string): number {
  try {
    const scaled = parseAmount(value, scale, { field: path });
    if (scaled > BigInt(Number.MAX_SAFE_INTEGER)) throw new SeedError(path, 'is too large');
    return Number(scaled);
  } catch (error) {
    if (error instanceof AmountError) throw new SeedError(path, error.message);
    throw error;
  }
}

function emptyState(): BillingState {
  return {
    organizations: idTable(),
    credentials: idTable(),
    payments: idTable(),
    counters: { payment: 0, usageItem: 0, invoice: 0 },
  };
}

/**
 * Opens the system accounts and one wallet per organization (opening balance from
 * `billing:opening`) and returns the family state. A family left out of the seed has no accounts.
 * @throws SeedError naming the offending field (duplicates, unknown plan ids, too many decimals).
 */
export function seedBilling(ledger: Ledger, seed: SeedBilling | undefined): BillingState {
  const state = emptyState();
  if (seed === undefined || seed === null) return state;
  for (const id of Object.values(SYSTEM)) ledger.openAccount({ id, family: 'billing', kind: 'system' });
  seed.organizations.forEach((org, i) => {
    const path = `billing.organizations[${i}]`;
    seedId(org.id, `${path}.id`);
    if (Object.hasOwn(state.organizations, org.id)) throw new SeedError(`${path}.id`, `duplicates ${org.id}`);
    const organization = buildOrganization(org, path);
    addCredentials(state, org, path);
    state.organizations[org.id] = organization;
    ledger.openAccount({
      id: organization.walletId,
      family: 'billing',
      kind: 'wallet',
      identifiers: [{ kind: 'organizationId', value: org.id }],
    });
    const opening = units(org.credits, 2, `${path}.credits`);
    if (opening > 0)
      ledger.commit({
        family: 'billing',
        operation: 'opening',
        metadata: { organizationId: org.id },
        postings: [
          { debit: SYSTEM.opening, credit: organization.walletId, asset: ASSET, amount: BigInt(opening) },
        ],
      });
  });
  return state;
}

function buildOrganization(org: SeedOrganization, path: string): Organization {
  const plans = checkPlans(org.plans ?? DEFAULT_PLANS, `${path}.plans`);
  const plan = org.planId === null ? undefined : plans.find((p) => p.id === org.planId);
  if (org.planId !== null && plan === undefined)
    throw new SeedError(
      `${path}.planId`,
      `unknown plan ${org.planId}; known: ${plans.map((p) => p.id).join(', ')}`,
    );
  const rate = (name: keyof typeof DEFAULT_RATES): number =>
    units(org.rates?.[name] ?? DEFAULT_RATES[name], 2, `${path}.rates.${name}`);
  const rates: Rates = {
    voicePerMinuteCreditUnits: rate('voicePerMinute'),
    chatPerMessageCreditUnits: rate('chatPerMessage'),
    transferPerMinuteCreditUnits: rate('transferPerMinute'),
    tollFreePerMinuteCreditUnits: rate('tollFreePerMinute'),
    numberPerMonthCreditUnits: rate('numberPerMonth'),
  };
  let autoReload: AutoReload | null = null;
  if (org.autoReload)
    autoReload = {
      enabled: org.autoReload.enabled,
      thresholdCents: units(org.autoReload.thresholdUsd, 2, `${path}.autoReload.thresholdUsd`),
      amountCents: units(org.autoReload.amountUsd, 2, `${path}.autoReload.amountUsd`),
    };
  return {
    id: org.id,
    walletId: walletIdOf(org.id),
    settlement: org.settlement,
    rates,
    plans,
    planId: plan?.id ?? null,
    // The seeded plan starts its period with the full allowance (it is not charged at seed time).
    includedMinuteUnits: (plan?.includedMinutes ?? 0) * 100,
    numbers: org.numbers ?? 0,
    autoReload,
    pendingAutoReloadId: null,
    usageItems: [],
    daily: [],
    invoices: [],
    // Only set when seeded: an unthrottled organization's state (and state file) has no such field.
    ...(org.rateLimit ? { requestsPerMinute: org.rateLimit.requestsPerMinute } : {}),
  };
}

function checkPlans(plans: readonly Plan[], path: string): Plan[] {
  const seen = new Set<string>();
  return plans.map((plan, p) => {
    seedId(plan.id, `${path}[${p}].id`);
    if (seen.has(plan.id)) throw new SeedError(`${path}[${p}].id`, `duplicates plan ${plan.id}`);
    seen.add(plan.id);
    // Prices are charged in whole cents and rates in hundredths of a credit.
    units(plan.monthlyPriceUsd, 2, `${path}[${p}].monthlyPriceUsd`);
    units(plan.overageRate, 2, `${path}[${p}].overageRate`);
    const { id, name, monthlyPriceUsd, includedMinutes, overageRate } = plan;
    return { id, name, monthlyPriceUsd, includedMinutes, overageRate };
  });
}

function addCredentials(state: BillingState, org: SeedOrganization, path: string): void {
  const add = (token: string, credential: Credential, at: string) => {
    seedId(token, at);
    if (Object.hasOwn(state.credentials, token))
      throw new SeedError(at, 'duplicates another API key or session');
    state.credentials[token] = credential;
  };
  org.apiKeys.forEach((apiKey, k) => {
    add(
      apiKey.key,
      { organizationId: org.id, kind: 'apiKey', scopes: [...apiKey.scopes] },
      `${path}.apiKeys[${k}].key`,
    );
  });
  org.sessions.forEach((session, s) => {
    add(session, { organizationId: org.id, kind: 'session', scopes: [] }, `${path}.sessions[${s}]`);
  });
}
