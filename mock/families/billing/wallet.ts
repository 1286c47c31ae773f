import type { OperationId } from '../../../generated/operations.js';
import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import { randomBytes } from '../../ledger/entropy.js';
import type { Ledger } from '../../ledger/ledger.js';
import { parseAmount } from '../../ledger/money.js';
import type { BillingPrincipal } from './auth.js';
import { atNow, creditWallet, fail, settle, startPayment } from './books.js';
import { ok, usdOfCents, walletView } from './responses.js';
import type { BillingState, Organization, Payment } from './state.js';

type Context<Id extends OperationId> = SpecContext<BillingState, BillingPrincipal, Id>;

/** The caller's organization: tenancy is by credential, there are no org ids in the paths. */
export function organizationOf(context: {
  readonly state: BillingState;
  readonly principal: BillingPrincipal;
}): Organization {
  const org = context.state.organizations[context.principal.organizationId];
  if (org === undefined)
    throw new Error(`credential of unknown organization ${context.principal.organizationId}`);
  return org;
}

/** USD with at most 2 decimals (already checked against openapi.yaml) as whole cents. */
export function centsOf(amountUsd: number): number {
  return Number(parseAmount(amountUsd, 2, { field: 'amountUsd' }));
}

export function getWallet(context: Context<'getWallet'>): MockResponse {
  return ok(walletView(context.ledger, organizationOf(context)));
}

export function topUpWallet(context: Context<'topUpWallet'>): MockResponse {
  const { ledger, state } = context;
  const org = organizationOf(context);
  const payment = startPayment(
    ledger,
    state,
    org,
    centsOf(context.body.amountUsd),
    false,
    atNow(ledger, context.idempotencyKey),
  );
  return ok({
    clientSecret: `${payment.id}_secret_${randomToken()}`,
    paymentId: payment.id,
    status: payment.status,
    amountUsd: usdOfCents(payment.amountCents),
  });
}

export function setAutoReload(context: Context<'setAutoReload'>): MockResponse {
  const org = organizationOf(context);
  const { enabled, thresholdUsd } = context.body;
  org.autoReload = {
    enabled,
    thresholdCents: Number(parseAmount(thresholdUsd, 2, { field: 'thresholdUsd' })),
    amountCents: centsOf(context.body.amountUsd),
  };
  return ok(walletView(context.ledger, org));
}

export function creditWalletOperation(context: Context<'creditWallet'>): MockResponse {
  const { ledger } = context;
  const org = organizationOf(context);
  const { reason } = context.body;
  creditWallet(
    ledger,
    org,
    centsOf(context.body.amountUsd),
    'creditWallet',
    { reason },
    atNow(ledger, context.idempotencyKey),
  );
  return ok(walletView(ledger, org), 201);
}

/** `POST /_mock/billing/payments/{paymentId}/settle`: a pending top-up's credits land. */
export function settlePayment(ledger: Ledger, state: BillingState, paymentId: string): MockResponse {
  const found = pendingPayment(state, paymentId);
  if ('response' in found) return found.response;
  settle(ledger, state, found.org, found.payment, 'mockSettlePayment', atNow(ledger, null));
  return paymentView(found.payment);
}

/** `POST /_mock/billing/payments/{paymentId}/fail`: the top-up adds nothing. */
export function failPayment(_ledger: Ledger, state: BillingState, paymentId: string): MockResponse {
  const found = pendingPayment(state, paymentId);
  if ('response' in found) return found.response;
  fail(found.org, found.payment);
  return paymentView(found.payment);
}

function pendingPayment(
  state: BillingState,
  paymentId: string,
): { payment: Payment; org: Organization } | { response: MockResponse } {
  const payment = Object.hasOwn(state.payments, paymentId) ? state.payments[paymentId] : undefined;
  const org = payment && state.organizations[payment.organizationId];
  if (payment === undefined || org === undefined)
    return { response: { status: 404, body: { error: `Payment ${paymentId} not found.` } } };
  if (payment.status !== 'pending')
    return {
      response: { status: 409, body: { error: `Payment ${paymentId} is not pending (${payment.status}).` } },
    };
  return { payment, org };
}

function paymentView(payment: Payment): MockResponse {
  const { id: paymentId, organizationId, status, amountCents } = payment;
  return { status: 200, body: { paymentId, organizationId, status, amountUsd: usdOfCents(amountCents) } };
}

/** The random part of a Stripe-like client secret (Web Crypto: works in Node and in browsers). */
function randomToken(): string {
  const bytes = randomBytes(12);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}
