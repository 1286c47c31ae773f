import type { Family } from './family.js';

/*
 * One hierarchy, so `catch (e) { if (e instanceof LedgerlineError) ... }` catches everything the SDK
 * throws on purpose:
 *
 *   LedgerlineError
 *   ├─ ApiError (the server answered) ─ Authentication, PermissionDenied, NotFound, Validation,
 *   │                                    InsufficientBalance, Conflict, Idempotency, RateLimit, Server
 *   ├─ ConnectionError (no answer) ─ TimeoutError
 *   └─ AbortError (the caller cancelled; never retried)
 *
 * TimeoutError extends ConnectionError because both mean "no answer, the call may or may not have
 * happened". Every class sets `name` from a string literal: minifiers rename classes, and
 * `err.name` must survive bundling. Fields are `declare`d and assigned in the constructor: a
 * parameter property would also emit a field definition, and the constructor copies one init object.
 */

/** Base of every error the SDK throws deliberately (`ClientOptionsError` aside, a `TypeError`). */
export class LedgerlineError extends Error {
  override name = 'LedgerlineError';
}

/**
 * The normalised error code, the same in every family (the family's own code is `familyCode`):
 * one per {@link ApiError} subclass, `request_failed` for another 4xx (413, 415, a credit-send
 * refusal that names no reason) and `server_error` for a 5xx.
 */
export type ErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'validation_failed'
  | 'insufficient_balance'
  | 'idempotency_key_reused'
  | 'rate_limited'
  | 'server_error'
  | 'request_failed';

/**
 * What every HTTP error carries; subclasses add family-independent details.
 * @inline
 */
export interface ApiErrorInit {
  status: number;
  /** The normalised code (`insufficient_balance`, `unauthenticated`, ...). */
  code: ErrorCode;
  /** The family's own code (`insufficient_balance`, `5_topi_invalidi`, a problem slug), when the body has one. */
  familyCode: string | undefined;
  message: string;
  family: Family;
  /** The operationId of the call that failed. */
  operation: string;
  /** Raw parsed body (JSON value, or text when it was not JSON). */
  body: unknown;
  headers: Headers;
  /** Subclass fields, copied onto the error as given: ValidationError. */
  fieldErrors?: Record<string, string[]>;
  /** InsufficientBalanceError. */
  available?: number | undefined;
  /** InsufficientBalanceError. */
  asset?: string | undefined;
  /** RateLimitError. */
  retryAfterMs?: number | undefined;
}

/** The server answered with an error status. */
export class ApiError extends LedgerlineError {
  override name = 'ApiError';
  // `declare`: no emitted field initialisers; the constructor copies `init` in one call.
  /** The HTTP status. */
  declare readonly status: number;
  /** The normalised code, one per subclass and the same in every family: branch on this. */
  declare readonly code: ErrorCode;
  /** The family's own code as its body states it (`invalid_cost_per_min`, `5_topi_invalidi`), if any. */
  declare readonly familyCode: string | undefined;
  /** The wire tag of the family that answered. */
  declare readonly family: Family;
  /** The operationId of the call that failed. */
  declare readonly operation: string;
  /** `x-request-id` response header: quote it in support requests. */
  declare readonly requestId: string | undefined;
  /** The raw parsed body (JSON value, or text when it was not JSON). */
  declare readonly body: unknown;
  /** The response headers. */
  declare readonly headers: Headers;
  constructor(init: ApiErrorInit) {
    super(init.message);
    Object.assign(this, init, { requestId: init.headers.get('x-request-id') ?? undefined });
  }
}

/** 401: missing, wrong or expired credential. */
export class AuthenticationError extends ApiError {
  override name = 'AuthenticationError';
}
/** 403: the credential is valid but may not do this (role, scope, other platform's user). */
export class PermissionDeniedError extends ApiError {
  override name = 'PermissionDeniedError';
}
/** 404, and the credit-send 501 "user does not exist or you do not have the permission". */
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
}
/** 409: a request with the same Idempotency-Key is still in flight (retried automatically first). */
export class ConflictError extends ApiError {
  override name = 'ConflictError';
}
/** 422 (or the family's equivalent): the Idempotency-Key was already used with another body. */
export class IdempotencyError extends ApiError {
  override name = 'IdempotencyError';
}
/** 5xx, except the credit-send 501 (a business error in that API). */
export class ServerError extends ApiError {
  override name = 'ServerError';
}

/** Invalid request; `fieldErrors` maps each named field to its messages (may be empty). */
export class ValidationError extends ApiError {
  override name = 'ValidationError';
  declare readonly fieldErrors: Record<string, string[]>;
}

/** Every family's "not enough balance": `available` when the body states it, in `asset` units. */
export class InsufficientBalanceError extends ApiError {
  override name = 'InsufficientBalanceError';
  declare readonly available: number | undefined;
  declare readonly asset: string | undefined;
}

/** 429; `retryAfterMs` from `retry-after-ms` / `Retry-After` when the server sent one. */
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
  declare readonly retryAfterMs: number | undefined;
}

/** No response: DNS, refused or reset connection. `cause` holds the fetch error. */
export class ConnectionError extends LedgerlineError {
  override name = 'ConnectionError';
}
/** No response within `timeoutMs` on the last attempt. */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
}
/** The caller's AbortSignal fired; `cause` is the signal's reason. */
export class AbortError extends LedgerlineError {
  override name = 'AbortError';
}

/** Invalid `createClient` options, or a method's per-call options; `problems` lists every one, the message too. */
export class ClientOptionsError extends TypeError {
  override name = 'ClientOptionsError';
  declare readonly problems: string[];
  /** @param what `client options`, or `call options` for a method's last argument. */
  constructor(problems: string[], what = 'client options') {
    super(`Invalid ledgerline ${what}:\n- ${problems.join('\n- ')}`);
    this.problems = problems;
  }
}
