import { withRetryAfter } from './respond.js';
import type { MockResponse } from './types.js';

/** Field name -> messages, the common form every family's validation error is built from. */
export type FieldErrors = Record<string, string[]>;

/** Failures of the request itself, before any operation runs (docs/decisions.md, "All families"). */
export type TransportErrorKind =
  | 'malformed_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'not_found'
  | 'method_not_allowed';

/**
 * Idempotency-Key refusals: the same key for another request, while the first still runs, or a new
 * key beyond the credential's (or the server's) quota of unexpired keys.
 */
export type IdempotencyErrorKind = 'idempotency_in_flight' | 'idempotency_reused' | 'too_many_keys';

/**
 * Server-side failures: a fault injected through `/_mock/faults`, a bug in the server, or a durable
 * store that cannot save (503: nothing changed).
 */
export type ServerErrorKind = 'injected_fault' | 'internal_error' | 'unavailable';

/** Where a validation error was found: the body, the query string or a header (Idempotency-Key). */
export type InputPart = 'body' | 'query' | 'header';

/**
 * How a family answers what its pages do not document, in its own shape (docs/decisions.md). Every
 * registry member declares these; the pipeline calls nothing else to build an error.
 */
export interface ErrorShapes {
  /** A request the pipeline refuses before any handler: unreadable, too large, or no such route. */
  transport(kind: TransportErrorKind, detail: string): MockResponse;
  /** An Idempotency-Key reused for another request (422) or still in flight (409). */
  idempotency(kind: IdempotencyErrorKind, detail: string): MockResponse;
  /** An injected fault's status, or a 500 for a bug in the server (never reported as a fault). */
  server(kind: ServerErrorKind, status: number, detail: string): MockResponse;
  /**
   * A request whose fields failed validation; every offending field is named. `errors` holds message
   * fragments without the field name (`is required`, `must be at least 1`); each family phrases them
   * its own way.
   */
  validation(errors: FieldErrors, operationId: string, part: InputPart): MockResponse;
  /**
   * An answer of `status` as the family's real host sends it (an injected `status` fault): its 429
   * with its rate-limit code, its 401, its 503. `detail` is a sentence for the family's message
   * field. Without it, {@link server} answers the status as `injected_fault`.
   */
  status?(status: number, detail: string): MockResponse;
}

/** The HTTP status of each transport and idempotency failure. */
export const ERROR_STATUS: Readonly<Record<TransportErrorKind | IdempotencyErrorKind, number>> = {
  malformed_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  not_found: 404,
  method_not_allowed: 405,
  idempotency_in_flight: 409,
  idempotency_reused: 422,
  too_many_keys: 429,
};

/** The snake_case code of each failure, for families whose bodies carry a code. */
export const ERROR_CODE: Readonly<
  Record<TransportErrorKind | IdempotencyErrorKind | ServerErrorKind, string>
> = {
  malformed_json: 'invalid_request',
  unsupported_media_type: 'unsupported_media_type',
  payload_too_large: 'payload_too_large',
  not_found: 'not_found',
  method_not_allowed: 'method_not_allowed',
  idempotency_in_flight: 'conflict',
  idempotency_reused: 'idempotency_key_reused',
  too_many_keys: 'too_many_idempotency_keys',
  injected_fault: 'server_error',
  internal_error: 'internal_error',
  unavailable: 'service_unavailable',
};

/** The message fragment validation uses for a missing field. */
export const REQUIRED = 'is required';

/** `field: message; other: message` — the convention the SDK parses back into field errors. */
export function describeFields(errors: FieldErrors): string {
  return Object.entries(errors)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ');
}

/** What a 429 for a key over quota says, per bound reached. */
export function quotaDetail(scope: 'credential' | 'server' | 'anonymous', limit: number): string {
  if (scope === 'credential')
    return `This credential already holds ${limit} Idempotency-Keys from the last 24 hours; retry without a key, reuse a key, or wait until its oldest keys expire.`;
  if (scope === 'anonymous')
    return `The reference server holds ${limit} Idempotency-Keys of requests without a credential from the last 24 hours; retry without a key or later.`;
  return `The reference server holds ${limit} Idempotency-Keys from the last 24 hours; retry later.`;
}

/** The snake_case code a family with codes answers for a bare HTTP status (an injected status fault). */
export const STATUS_CODE: Readonly<Record<number, string>> = {
  400: 'invalid_request',
  401: 'unauthorized',
  402: 'payment_required',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limited',
  500: 'server_error',
  501: 'not_implemented',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** {@link STATUS_CODE}, or `client_error`/`server_error` for a status without its own code. */
export function statusCode(status: number): string {
  return STATUS_CODE[status] ?? (status >= 500 ? 'server_error' : 'client_error');
}

/** The reason phrase of a status, for a family's message (`Service Unavailable`). */
export const REASON: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A sentence for an injected status: what the host would say, with the wait when one is given. */
export function statusDetail(status: number, retryAfterSeconds?: number): string {
  const wait = retryAfterSeconds === undefined ? '' : ` Retry after ${retryAfterSeconds} seconds.`;
  return `${REASON[status] ?? (status >= 500 ? 'Server Error' : 'Error')} (HTTP ${status}).${wait}`;
}

/** The family's answer to an injected `status` fault, in its own shape, with `Retry-After` when given. */
export function injectedStatus(
  errors: ErrorShapes,
  status: number,
  retryAfterSeconds?: number,
): MockResponse {
  const detail = statusDetail(status, retryAfterSeconds);
  return withRetryAfter(
    errors.status?.(status, detail) ?? errors.server('injected_fault', status, detail),
    retryAfterSeconds,
  );
}
