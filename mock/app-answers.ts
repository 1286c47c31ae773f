import { transportError, validationError } from './http/family-errors.js';
import {
  type Family,
  type MockRequest,
  type MockResponse,
  type Outcome,
  PROBLEM_JSON,
} from './http/types.js';
import type { BeginResult, IdempotencyStore } from './ledger/idempotency.js';
import type { JsonValue } from './ledger/json.js';
import { AmountError } from './ledger/money.js';

// The answers MockApp builds on its way through the pipeline (app.ts), kept apart so it reads in one sitting.

/** An operation's answer, and whether it is an Idempotency-Key replay. */
export interface RunResult {
  readonly response: MockResponse;
  readonly replayed: boolean;
}

/** The answer to a key that was already claimed: a replay, or a 422/409 in the family's shape. */
export function notStarted(family: Family, begun: Exclude<BeginResult, { kind: 'started' }>): RunResult {
  if (begun.kind === 'replay') return { response: begun.response, replayed: true };
  if (begun.kind === 'over_quota')
    return refused(
      transportError(
        family,
        'too_many_keys',
        begun.scope === 'credential'
          ? `This credential already holds ${begun.limit} Idempotency-Keys from the last 24 hours; retry without a key, reuse a key, or wait until its oldest keys expire.`
          : `The reference server holds ${begun.limit} Idempotency-Keys from the last 24 hours; retry later.`,
      ),
    );
  return refused(
    begun.kind === 'mismatch'
      ? transportError(
          family,
          'idempotency_reused',
          'This Idempotency-Key was already used with a different request; send a new key for a new request.',
        )
      : transportError(
          family,
          'idempotency_in_flight',
          'A request with this Idempotency-Key is still being processed; retry shortly.',
        ),
  );
}

export function settled(answer: MockResponse | Promise<MockResponse>): RunResult | Promise<RunResult> {
  return answer instanceof Promise
    ? answer.then((response) => ({ response, replayed: false }))
    : { response: answer, replayed: false };
}

export function refused(response: MockResponse): RunResult {
  return { response, replayed: false };
}

/**
 * An exception from an operation: a refused amount (a number with more decimals than its field allows,
 * such as the float artefact `0.30000000000000004`) is the caller's error, in the family's validation
 * shape; anything else is a bug, answered 500 rather than a dropped connection.
 */
export function operationError(family: Family, request: MockRequest, error: unknown): RunResult {
  if (error instanceof AmountError)
    return refused(validationError(family, { [error.field]: [amountFragment(error)] }));
  return internalError(family, request, error);
}

/** An AmountError's message without its leading field name and final period: `has 17 decimals; ...`. */
export function amountFragment(error: AmountError): string {
  const text = error.message.startsWith(`${error.field} `)
    ? error.message.slice(error.field.length + 1)
    : error.message;
  return text.replace(/\.$/, '');
}

function internalError(family: Family, request: MockRequest, error: unknown): RunResult {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`ledgerline-mock: ${request.method} ${request.path} failed:`, error);
  return refused(
    transportError(family, 'injected', `Internal error in the reference server: ${message}`, 500),
  );
}

/** Stores an idempotent answer for replay; server errors are not kept, as the retry they invite must run again. */
export function keep(store: IdempotencyStore, scope: string, key: string, response: MockResponse): RunResult {
  if (response.status >= 500) store.release(scope, key);
  else
    store.complete(scope, key, {
      status: response.status,
      body: (response.body ?? null) as JsonValue,
      ...(response.headers ? { headers: response.headers } : {}),
    });
  return { response, replayed: false };
}

export function respond(
  response: MockResponse,
  requestId: string,
  replayed: boolean,
  path?: string,
): Outcome {
  if (path !== undefined && response.headers?.['content-type'] === PROBLEM_JSON)
    response = withInstance(response, path);
  // Built field by field: object spreads of varying shapes are a measurable share of a request.
  let headers: Record<string, string>;
  if (response.headers === undefined) headers = { 'x-request-id': requestId };
  else {
    headers = Object.assign({}, response.headers);
    headers['x-request-id'] = requestId;
  }
  if (replayed) headers['idempotent-replayed'] = 'true';
  const answer: MockResponse =
    response.body === undefined
      ? { status: response.status, headers }
      : { status: response.status, body: response.body, headers };
  return { kind: 'respond', response: answer, replayed };
}

/** An exception from a control operation: a refused amount is a 400 naming its field, anything else a 500. */
export function controlError(request: MockRequest, error: unknown): MockResponse {
  if (error instanceof AmountError) {
    const message = `${error.field} ${amountFragment(error)}`;
    return {
      status: 400,
      body: { error: `Invalid request: ${message}.`, issues: [{ path: error.field, message }] },
    };
  }
  console.error(`ledgerline-mock: ${request.method} ${request.path} failed:`, error);
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: `Internal error in the reference server: ${message}` } };
}

/**
 * A problem document names the request it answers in `instance` (the request path, as the errors page
 * of docs.flowyte.com shows: `"instance": "/api/v1/agents"`); only the pipeline knows the path.
 */
function withInstance(response: MockResponse, path: string): MockResponse {
  const body = response.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'instance' in body) return response;
  return { ...response, body: { ...body, instance: path } };
}
