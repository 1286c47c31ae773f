import { readBillingError } from './error-bodies/billing.js';
import { readCreditSendError } from './error-bodies/credit-send.js';
import type { ErrorBodyReader, ErrorReading } from './error-bodies/fields.js';
import { readResellerError } from './error-bodies/reseller.js';
import { readWhiteLabelError } from './error-bodies/white-label.js';
import {
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  ConflictError,
  type ErrorCode,
  IdempotencyError,
  InsufficientBalanceError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  ValidationError,
} from './errors.js';
import type { Family } from './family.js';
import { record } from './json.js';
import { retryAfterMs } from './retry.js';

export { parseFieldList } from './error-bodies/fields.js';

/*
 * Every error answer goes through two steps: the family's reader (`error-bodies/`) reads its
 * documented body into shared terms, then `toApiError` picks the class, the normalised `code` and
 * the message. A family client imports only its own reader, so a one-family bundle carries one.
 */

/** Every family's reader, by wire tag: what {@link createApiError} dispatches on. */
const READERS: Readonly<Record<Family, ErrorBodyReader>> = {
  'white-label': readWhiteLabelError,
  reseller: readResellerError,
  'credit-send': readCreditSendError,
  billing: readBillingError,
};

// Ends a server's phrase with exactly one period, so a next step can follow.
const end = (phrase: string): string => phrase.replace(/\.?$/, '.');

/** Per status without a more specific reading: the class, its code, and what to do next. */
const BY_STATUS: Readonly<Record<number, readonly [typeof ApiError, ErrorCode, string]>> = {
  401: [AuthenticationError, 'unauthenticated', ' Check the credentials for this family.'],
  403: [PermissionDeniedError, 'forbidden', ' Check the role or scopes of the credential.'],
  404: [NotFoundError, 'not_found', ''],
  409: [ConflictError, 'conflict', ' The same Idempotency-Key is in progress; retry shortly.'],
};

/**
 * The error for one error answer, from the family's reading of its body. Never throws.
 * @internal
 */
export function toApiError(
  reading: ErrorReading,
  family: Family,
  operation: string,
  status: number,
  body: unknown,
  headers: Headers,
): ApiError {
  const { familyCode, text: said, fields = {}, asset, available } = reading;
  const init = (code: ErrorCode, message: string): ApiErrorInit => ({
    status,
    code,
    familyCode,
    message,
    family,
    operation,
    body,
    headers,
  });
  // A reused key, in either family's spelling.
  if (familyCode !== undefined && /^idempotency.key.reused$/.test(familyCode))
    return new IdempotencyError(
      init(
        'idempotency_key_reused',
        'This Idempotency-Key was used with another request. Use a new key, or resend the original body.',
      ),
    );
  if (asset) {
    // A server phrase that already says what is available ("... and 61.713 is available.") is not echoed.
    let short = said ?? 'Insufficient balance';
    if (available !== undefined && !/available/.test(short))
      short = `${short.replace(/\.$/, '')}: ${available}${asset === 'usd' ? ' USD' : ''} available`;
    return new InsufficientBalanceError({
      ...init('insufficient_balance', `${end(short)} Top up, or try a smaller amount.`),
      available,
      asset,
    });
  }
  if (reading.refusal === 'unauthenticated')
    return new AuthenticationError(
      init('unauthenticated', `${end(said ?? 'Login refused')} Check the credentials for this family.`),
    );
  if (reading.refusal) {
    const message = `${end(said ?? 'Credit transfer refused')} Check the recipient's user id.`;
    return reading.refusal === 'not_found'
      ? new NotFoundError(init('not_found', message))
      : new ApiError(init('request_failed', message));
  }
  const listed = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ');
  const [type, code, next] = BY_STATUS[status] ?? [];
  const message = listed
    ? `Invalid request: ${end(listed)} Fix these fields and send again.` // one period, also after a message's own
    : end(said ?? `${operation} failed with HTTP ${status}`) +
      (next ?? (status === 429 ? ' Slow down and retry later.' : status < 500 ? '' : ' Retry later.'));
  if (status === 429)
    return new RateLimitError({ ...init('rate_limited', message), retryAfterMs: retryAfterMs(headers) });
  if (listed || status === 400 || status === 422)
    return new ValidationError({ ...init('validation_failed', message), fieldErrors: fields });
  if (type && code) return new type(init(code, message));
  return status < 500
    ? new ApiError(init('request_failed', message))
    : new ServerError(init('server_error', message));
}

/**
 * The one factory behind every method's error: reads the family's documented error body and
 * returns the matching {@link ApiError} subclass. Exported for custom transports that call the APIs
 * themselves and want the same errors.
 * @param family The wire tag of the family that answered (`'reseller'`), which decides the body shape.
 * @param operation The operationId of the call (`'transferCreditsToChild'`).
 * @param status The HTTP status (an error status).
 * @param body The parsed response body (JSON value, or text when it was not JSON).
 * @param headers The response headers (`x-request-id`, `Retry-After`).
 * @returns The matching {@link ApiError} subclass; it never throws.
 * @example
 * ```ts
 * const error = createApiError('reseller', 'transferCreditsToChild', 400,
 *   { error: 'insufficient_balance', error_description: 'Insufficient balance.', available_balance: 1.5 }, new Headers());
 * error instanceof InsufficientBalanceError; // true, error.available === 1.5, error.code === 'insufficient_balance'
 * ```
 */
export function createApiError(
  family: Family,
  operation: string,
  status: number,
  body: unknown,
  headers: Headers,
): ApiError {
  return toApiError(READERS[family](status, record(body)), family, operation, status, body, headers);
}
