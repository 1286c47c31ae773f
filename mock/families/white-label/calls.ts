import type { components } from '../../../generated/openapi.js';
import type { SpecContext } from '../../family-kit/family.js';
import type { MockRequest, MockResponse } from '../../family-kit/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { divCeil, formatAmount, parseAmount, pow10 } from '../../ledger/money.js';
import {
  type CallRecord,
  DEFAULT_USD_PER_MINUTE,
  errorResponse,
  FAMILY,
  RATE_SCALE,
  SCALE,
  USAGE_ACCOUNT,
  userAccountId,
  userKey,
  type WhiteLabelPrincipal,
  type WhiteLabelState,
} from './state.js';
import { callerAccount } from './tokens.js';

type CallRequest = components['schemas']['MockWhiteLabelCallRequest'];
type CallQuery = SpecContext<WhiteLabelState, WhiteLabelPrincipal, 'listUserCalls'>['query'];

/** `2025-08-04 14:30:00` (UTC), as the calls page renders `created_at`. */
function callTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** A call as `GET /api/user/calls` lists it; what the reference server does not know is null. */
export function callView(call: CallRecord): Record<string, unknown> {
  const at = callTime(call.createdAtMs);
  return {
    id: call.id,
    assistant_name: call.assistantName,
    campaign_name: null,
    type: call.type,
    duration: call.durationSeconds,
    assistant_phone_number: null,
    client_phone_number: call.clientPhoneNumber,
    status: call.status,
    transcript: null,
    variables: {},
    evaluation: null,
    webhook_response: null,
    carrier_cost: formatAmount(BigInt(call.carrierCost), RATE_SCALE),
    total_cost: formatAmount(BigInt(call.totalCost), SCALE + RATE_SCALE),
    answered_by: null,
    recording_url: null,
    created_at: at,
    updated_at: at,
  };
}

function matches(call: CallRecord, query: CallQuery): boolean {
  const day = callTime(call.createdAtMs).slice(0, 10);
  if (query.status !== undefined && call.status !== query.status) return false;
  if (query.type !== undefined && call.type !== query.type) return false;
  if (query.phone_number !== undefined && call.clientPhoneNumber !== query.phone_number) return false;
  // Recorded calls have no assistant or campaign: filtering by one matches none.
  if (query.assistant_id !== undefined || query.campaign_id !== undefined) return false;
  if (query.date_from !== undefined && day < query.date_from) return false;
  return query.date_to === undefined || day <= query.date_to;
}

function origin(request: MockRequest): string {
  const host = request.header('host');
  return request.origin ?? (host === undefined ? 'http://localhost:4010' : `http://${host}`);
}

/**
 * `GET /api/user/calls`: the caller's calls, newest first, one page in Laravel's paginator shape
 * (its page URLs carry `page` only, as the calls page shows them).
 */
export function listCalls({
  state,
  principal,
  query,
  request,
}: SpecContext<WhiteLabelState, WhiteLabelPrincipal, 'listUserCalls'>): MockResponse {
  const accountId = callerAccount(principal);
  const perPage = query.per_page ?? 15;
  const page = query.page ?? 1;
  const mine = state.calls
    .filter((call) => userAccountId(call.platform, call.userId) === accountId && matches(call, query))
    .reverse();
  const total = mine.length;
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const start = (page - 1) * perPage;
  const data = mine.slice(start, start + perPage).map(callView);
  const path = `${origin(request)}/api/user/calls`;
  const url = (n: number) => `${path}?page=${n}`;
  const links = [
    { url: page > 1 ? url(page - 1) : null, label: '&laquo; Previous', active: false },
    ...Array.from({ length: lastPage }, (_, i) => ({
      url: url(i + 1),
      label: String(i + 1),
      active: i + 1 === page,
    })),
    { url: page < lastPage ? url(page + 1) : null, label: 'Next &raquo;', active: false },
  ];
  return {
    status: 200,
    body: {
      current_page: page,
      data,
      first_page_url: url(1),
      from: data.length > 0 ? start + 1 : null,
      last_page: lastPage,
      last_page_url: url(lastPage),
      links,
      next_page_url: page < lastPage ? url(page + 1) : null,
      path,
      per_page: perPage,
      prev_page_url: page > 1 ? url(page - 1) : null,
      to: data.length > 0 ? start + data.length : null,
      total,
    },
  };
}

function controlError(status: number, path: string, message: string): MockResponse {
  return { status, body: { error: `Invalid request: ${message}.`, issues: [{ path, message }] } };
}

/** The same call as `first`: a repeated `reference` with these fields moves nothing. */
function sameCall(first: CallRecord, body: CallRequest, carrierCost: bigint): boolean {
  return (
    first.platform === (body.platform ?? 1) - 1 &&
    first.userId === body.userId &&
    first.durationSeconds === body.durationSeconds &&
    first.carrierCost === String(carrierCost) &&
    first.type === (body.type ?? 'outbound') &&
    first.status === (body.status ?? 'completed') &&
    first.clientPhoneNumber === (body.clientPhoneNumber ?? null) &&
    first.assistantName === (body.assistantName ?? null)
  );
}

function recorded(ledger: Ledger, call: CallRecord, status: number): MockResponse {
  const balance = ledger.balance(userAccountId(call.platform, call.userId), 'minutes');
  return {
    status,
    body: {
      call: callView(call),
      minutesCharged: formatAmount(BigInt(call.minutes), SCALE),
      minutesBalance: formatAmount(balance, SCALE),
    },
  };
}

/**
 * `POST /_mock/white-label/calls`: a finished call draws `ceil(duration / 60)` plus the carrier cost
 * converted at the platform's price (each rounded up to 0.01 minute) from the user's minutes, in one
 * entry against the usage account; refused whole (402) when the user cannot cover it.
 */
export function recordCall(ledger: Ledger, state: WhiteLabelState, body: CallRequest): MockResponse {
  const platform = (body.platform ?? 1) - 1;
  const settings = state.platforms[platform];
  if (settings === undefined)
    return controlError(
      400,
      'platform',
      `platform ${platform + 1} is not in the seed (${state.platforms.length} platforms)`,
    );
  const user = state.users[userKey(platform, body.userId)];
  if (user === undefined)
    return controlError(400, 'userId', `user ${body.userId} is not a user of platform ${platform + 1}`);
  const carrierCost = parseAmount(body.carrierCostUsd ?? 0, RATE_SCALE, { field: 'carrierCostUsd' });
  const reference = body.reference ?? null;
  const first = reference === null ? undefined : state.calls.find((call) => call.reference === reference);
  if (first !== undefined) {
    if (sameCall(first, body, carrierCost)) return recorded(ledger, first, 200);
    return {
      status: 409,
      body: { error: `Call reference ${reference} was recorded with another call (id ${first.id}).` },
    };
  }
  const rate = parseAmount(settings.usdPerMinute ?? DEFAULT_USD_PER_MINUTE, RATE_SCALE);
  const scale = pow10(SCALE);
  // Per second, rounded up to 0.01 minute; the carrier's USD at the price per minute, rounded up.
  const minutes = divCeil(BigInt(body.durationSeconds) * scale, 60n) + divCeil(carrierCost * scale, rate);
  const accountId = userAccountId(platform, body.userId);
  const id = state.calls.length + 1;
  const available = ledger.balance(accountId, 'minutes');
  if (minutes > available)
    return errorResponse(402, 'User has insufficient minutes balance.', {
      user_minutes_balance: formatAmount(available, SCALE),
    });
  if (minutes > 0n) {
    // Opened on the first call (seeds and older states have no usage account), never for a refusal.
    if (ledger.account(USAGE_ACCOUNT) === undefined)
      ledger.openAccount({ id: USAGE_ACCOUNT, family: FAMILY, kind: 'system' });
    ledger.commit({
      family: FAMILY,
      operation: 'mockRecordWhiteLabelCall',
      metadata: { callId: id, userId: body.userId, durationSeconds: body.durationSeconds },
      postings: [{ debit: accountId, credit: USAGE_ACCOUNT, asset: 'minutes', amount: minutes }],
    });
  }
  const call: CallRecord = {
    id,
    platform,
    userId: body.userId,
    type: body.type ?? 'outbound',
    status: body.status ?? 'completed',
    durationSeconds: body.durationSeconds,
    carrierCost: String(carrierCost),
    minutes: String(minutes),
    totalCost: String(minutes * rate),
    assistantName: body.assistantName ?? null,
    clientPhoneNumber: body.clientPhoneNumber ?? null,
    createdAtMs: ledger.clock.now(),
    reference,
  };
  state.calls.push(call);
  return recorded(ledger, call, 201);
}
