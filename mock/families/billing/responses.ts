import type { MockResponse } from '../../family-kit/types.js';
import { nextMonthStartMs } from '../../ledger/clock.js';
import type { Ledger } from '../../ledger/ledger.js';
import { formatAmount } from '../../ledger/money.js';
import { billingValidationError, problem } from './errors.js';
import { ASSET, type InvoiceRecord, type Organization, type Plan, type UsageItemRecord } from './state.js';

/** The success envelope `{success: true, data}`. */
export function ok(data: unknown, status = 200): MockResponse {
  return { status, body: { success: true, data } };
}

export const unauthenticated = (): MockResponse =>
  problem(401, 'unauthenticated', 'Unauthorized', 'Missing or invalid API key or session token.');

export const forbidden = (detail: string): MockResponse => problem(403, 'forbidden', 'Forbidden', detail);

export const insufficientFunds = (detail: string): MockResponse =>
  problem(402, 'insufficient-funds', 'Payment Required', detail);

export const fieldError = (field: string, fragment: string): MockResponse =>
  billingValidationError({ [field]: [fragment] });

/** Wallet credits (hundredths of a credit) as USD: 1 credit = 1 cent, so 4 decimals at most. */
export function usdOfCreditUnits(units: bigint): number {
  return formatAmount(units, 4);
}

export function usdOfCents(cents: number): number {
  return formatAmount(BigInt(cents), 2);
}

export function walletBalance(ledger: Ledger, org: Organization): bigint {
  return ledger.balance(org.walletId, ASSET);
}

export function walletView(ledger: Ledger, org: Organization) {
  const reload = org.autoReload;
  return {
    balanceUsd: usdOfCreditUnits(walletBalance(ledger, org)),
    autoReloadEnabled: reload?.enabled ?? false,
    autoReloadThresholdUsd: reload ? usdOfCents(reload.thresholdCents) : null,
    autoReloadAmountUsd: reload ? usdOfCents(reload.amountCents) : null,
  };
}

export function planOf(org: Organization): Plan | null {
  return org.plans.find((plan) => plan.id === org.planId) ?? null;
}

export function subscriptionView(org: Organization, nowMs: number) {
  const now = new Date(nowMs);
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return {
    plan: planOf(org),
    includedMinutesRemaining: formatAmount(BigInt(org.includedMinuteUnits), 2),
    currentPeriodStart: isoSeconds(start),
    currentPeriodEnd: isoSeconds(nextMonthStartMs(nowMs)),
  };
}

export function usageItemView(item: UsageItemRecord) {
  return {
    id: `ui_${item.n}`,
    time: isoSeconds(item.timeMs),
    type: item.type,
    channel: item.channel,
    quantity: formatAmount(BigInt(item.quantityUnits), 2),
    credits: formatAmount(BigInt(item.creditUnits), 2),
    description: item.description,
    agentId: item.agentId,
  };
}

export function invoiceView(invoice: InvoiceRecord) {
  const id = `inv_${invoice.n}`;
  return {
    id,
    number: `LL-${String(invoice.n).padStart(6, '0')}`,
    createdAt: isoSeconds(invoice.timeMs),
    amountUsd: usdOfCents(invoice.amountCents),
    status: 'paid',
    description: invoice.description,
    pdfUrl: `https://builder.flowyte.com/invoices/${id}.pdf`,
  };
}

/** ISO-8601 without milliseconds when they are zero (`2025-06-01T00:00:00Z`, as the spec shows). */
export function isoSeconds(ms: number): string {
  const text = new Date(ms).toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}

/** `June 2025`: the month a charge is for. */
export function monthName(ms: number): string {
  return new Date(ms).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}
