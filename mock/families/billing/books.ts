import type { JournalEntry } from '../../ledger/journal.js';
import type { JsonObject } from '../../ledger/json.js';
import { type CommitInput, internalsOf, type Ledger } from '../../ledger/ledger.js';
import { insertByTime } from './pages.js';
import {
  ASSET,
  type BillingState,
  centsToCreditUnits,
  type Organization,
  type Payment,
  SYSTEM,
} from './state.js';

/**
 * The family's ledger movements: debits to revenue (usage, plan charges, rentals), payments in
 * (top-ups, auto-reload), and the invoices and auto-reload they bring along.
 */

/** When an entry happens: `now`, or a month boundary the clock has just crossed. */
export interface At {
  readonly timeMs: number;
  /** True for month-boundary work: journalled at the boundary instant, not at the clock's time. */
  readonly boundary: boolean;
  readonly idempotencyKey: string | null;
}

export const atNow = (ledger: Ledger, idempotencyKey: string | null): At => ({
  timeMs: ledger.clock.now(),
  boundary: false,
  idempotencyKey,
});

function commit(ledger: Ledger, at: At, input: Omit<CommitInput, 'family' | 'idempotencyKey'>): JournalEntry {
  const full: CommitInput = { ...input, family: 'billing', idempotencyKey: at.idempotencyKey };
  // The clock has already moved past the boundary when its listeners run; the engine's commitAt
  // records the entry at the boundary itself, which precedes anything committed at the new time.
  return at.boundary ? internalsOf(ledger).commitAt(at.timeMs, full) : ledger.commit(full);
}

/**
 * Takes `creditUnits` from the wallet to revenue, then starts an auto-reload if the balance fell
 * below the threshold. A zero charge journals an event that moves nothing.
 * @throws LedgerError `insufficient_funds` with nothing changed.
 */
export function debitWallet(
  ledger: Ledger,
  state: BillingState,
  org: Organization,
  creditUnits: bigint,
  operation: string,
  metadata: JsonObject,
  at: At,
): JournalEntry {
  const postings =
    creditUnits > 0n
      ? [{ debit: org.walletId, credit: SYSTEM.revenue, asset: ASSET, amount: creditUnits }]
      : [];
  const entry = commit(ledger, at, {
    operation,
    metadata: { organizationId: org.id, ...metadata },
    postings,
  });
  if (creditUnits > 0n) maybeAutoReload(ledger, state, org, at);
  return entry;
}

/** Adds credits from the payments account (manual credit, settled top-up). */
export function creditWallet(
  ledger: Ledger,
  org: Organization,
  cents: number,
  operation: string,
  metadata: JsonObject,
  at: At,
): void {
  commit(ledger, at, {
    operation,
    metadata: { organizationId: org.id, ...metadata },
    postings: [
      { debit: SYSTEM.payments, credit: org.walletId, asset: ASSET, amount: centsToCreditUnits(cents) },
    ],
  });
}

export function addInvoice(
  state: BillingState,
  org: Organization,
  amountCents: number,
  description: string,
  at: At,
): void {
  state.counters.invoice += 1;
  insertByTime(org.invoices, { n: state.counters.invoice, timeMs: at.timeMs, amountCents, description });
}

/** Creates a top-up payment; it settles at once unless the organization settles manually. */
export function startPayment(
  ledger: Ledger,
  state: BillingState,
  org: Organization,
  amountCents: number,
  autoReload: boolean,
  at: At,
): Payment {
  state.counters.payment += 1;
  const payment: Payment = {
    id: `pay_${state.counters.payment}`,
    organizationId: org.id,
    amountCents,
    autoReload,
    status: 'pending',
  };
  state.payments[payment.id] = payment;
  if (autoReload) org.pendingAutoReloadId = payment.id;
  if (org.settlement === 'immediate')
    settle(ledger, state, org, payment, autoReload ? 'autoReload' : 'topUpWallet', at);
  return payment;
}

/** Lands a pending payment's credits in the wallet and issues its paid invoice. */
export function settle(
  ledger: Ledger,
  state: BillingState,
  org: Organization,
  payment: Payment,
  operation: string,
  at: At,
): void {
  creditWallet(ledger, org, payment.amountCents, operation, { paymentId: payment.id }, at);
  payment.status = 'succeeded';
  if (org.pendingAutoReloadId === payment.id) org.pendingAutoReloadId = null;
  addInvoice(
    state,
    org,
    payment.amountCents,
    payment.autoReload ? 'Wallet auto-reload' : 'Wallet top-up',
    at,
  );
}

export function fail(org: Organization, payment: Payment): void {
  payment.status = 'failed';
  if (org.pendingAutoReloadId === payment.id) org.pendingAutoReloadId = null;
}

/** After a debit: one automatic top-up when the balance is below the threshold and none is pending. */
function maybeAutoReload(ledger: Ledger, state: BillingState, org: Organization, at: At): void {
  const reload = org.autoReload;
  if (reload === null || !reload.enabled || org.pendingAutoReloadId !== null) return;
  if (ledger.balance(org.walletId, ASSET) >= centsToCreditUnits(reload.thresholdCents)) return;
  startPayment(ledger, state, org, reload.amountCents, true, { ...at, idempotencyKey: null });
}
