/**
 * `ledgerline`: a typed SDK for four prepaid balance and transfer APIs (white-label transfer, reseller
 * allocation, credit send, wallet and usage), with retries, idempotency keys, timeouts and one error
 * hierarchy. Types and family clients are generated from openapi.yaml; calls are made by openapi-fetch.
 *
 * Start with {@link createClient}, or one family's factory ({@link createResellerClient}, ...) for a
 * smaller bundle; the guides are listed in the README.
 *
 * @module ledgerline
 */

// Generated types of openapi.yaml
export type { components, operations, paths } from '../generated/openapi.js';
// The family clients (generated from openapi.yaml): each family's factory, client interface and
// the body, query, result and item types of its methods
export * from '../generated/sdk/index.js';
// The client of every family
export { createClient, type LedgerlineClient } from './client.js';
// Promises the methods return
export { ApiPromise, PagePromise, type WithResponse } from './core/api-promise.js';
// Errors: one base class, one factory
export { createApiError } from './core/error-mapping.js';
export {
  AbortError,
  ApiError,
  AuthenticationError,
  ClientOptionsError,
  ConflictError,
  ConnectionError,
  type ErrorCode,
  IdempotencyError,
  InsufficientBalanceError,
  LedgerlineError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from './core/errors.js';
export type { Family, FamilyKey } from './core/family.js';
export { DOCUMENTED_ORIGINS } from './core/family.js';
export type { LogDetails, Logger, LogLevel } from './core/log.js';
export type {
  ClientOptions,
  CommonClientOptions,
  Credentials,
  CreditSendCredentials,
} from './core/options.js';
// Retry policy: pure functions, exported for tests and custom transports
export {
  DEFAULT_RETRY,
  type RetryOption,
  type RetryPolicy,
  resolveRetryPolicy,
  retryDelayMs,
  shouldRetry,
} from './core/retry.js';
export type {
  At,
  ItemAt,
  OperationId,
  QueryOf,
  RequestBody,
  RequestOptions,
  Result,
  SchemaOf,
  SuccessBody,
  SuccessData,
} from './types.js';
