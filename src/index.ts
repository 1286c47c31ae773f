/**
 * `ledgerline`: a typed SDK for four prepaid balance and transfer APIs (white-label transfer, reseller
 * allocation, credit send, wallet and usage), with retries, idempotency keys, timeouts and one error
 * hierarchy. Types are generated from openapi.yaml; calls are made by openapi-fetch.
 *
 * Start with {@link createClient}; the guides are listed in the README.
 *
 * @module ledgerline
 */

// Generated types of openapi.yaml
export type { components, operations, paths } from '../generated/openapi.js';
// The client
export { createClient, type LedgerlineClient } from './client.js';
export { createApiError } from './core/error-mapping.js';
// Errors: one base class, one factory
export {
  AbortError,
  ApiError,
  AuthenticationError,
  ClientOptionsError,
  ConflictError,
  ConnectionError,
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
export type { ClientOptions, Credentials, CreditSendCredentials } from './core/options.js';

// Retry policy: pure functions, exported for tests and custom transports
export { DEFAULT_RETRY, type RetryPolicy, retryDelayMs, shouldRetry } from './core/retry.js';
export type {
  FamilyClient,
  ItemOf,
  Method,
  PagePromise,
  QueryOf,
  RequestBody,
  RequestOptions,
  Result,
} from './types.js';
