import type { Family } from './family.js';

/** Backoff policy; `maxRetries` counts retries, so a call is sent at most `maxRetries + 1` times. */
export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The retry policy `createClient` uses unless told otherwise: 2 retries, backoff from 500 ms to 8 s with jitter. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8000 };

/** A retry policy as options give it: fields to merge over the policy before, or `false`. */
export type RetryOption = Partial<RetryPolicy> | false;

/**
 * The policy in effect: {@link DEFAULT_RETRY}, then each given layer merged over it in turn (the
 * client's `retry` option, then the call's). `false` stands for `{ maxRetries: 0 }`, so a later
 * layer that sets `maxRetries` sends retries again. The SDK checks and runs this same policy.
 * @param layers The client's `retry` option, then the call's; `undefined` changes nothing.
 * @returns The whole policy. Pure: it never throws, even for a policy the options would refuse.
 * @example
 * ```ts
 * resolveRetryPolicy({ maxDelayMs: 20_000 }, { baseDelayMs: 10_000 }); // { maxRetries: 2, baseDelayMs: 10000, maxDelayMs: 20000 }
 * ```
 */
export function resolveRetryPolicy(...layers: readonly (RetryOption | undefined)[]): RetryPolicy {
  let policy: RetryPolicy = DEFAULT_RETRY;
  for (const layer of layers)
    if (layer !== undefined) policy = { ...policy, ...(layer === false ? { maxRetries: 0 } : layer) };
  return policy;
}

/**
 * What is wrong with a whole policy whose fields are each in range, or `undefined`. `merged` says
 * the policy comes from a call's options over the client's, and the message shows the result.
 */
export function retryPolicyProblem(policy: RetryPolicy, merged = false): string | undefined {
  if (policy.maxDelayMs >= policy.baseDelayMs) return undefined;
  const inEffect = `; in effect (the call's over the client's) ${policy.baseDelayMs} and ${policy.maxDelayMs}`;
  return `retry.maxDelayMs: expected at least retry.baseDelayMs${merged ? inEffect : ''}`;
}

/** Longest server-requested wait we honour: a longer hint is capped rather than holding the caller. */
export const RETRY_AFTER_MAX_MS = 60_000;

/**
 * What {@link shouldRetry} decides on: one failed attempt of one call.
 * @inline
 */
export interface RetryInput {
  method: string;
  /** Response status, when there was one. */
  status?: number;
  /** Failure without a response. */
  error?: 'connection' | 'timeout' | 'abort';
  family?: Family | undefined;
  /** 0-based index of the attempt that just failed. */
  attempt: number;
  maxRetries: number;
  /** The server honours Idempotency-Key for this call and the request carries one. */
  idempotent: boolean;
  /** A connection error happened after the request may have reached the server (default: assume so). */
  afterSend?: boolean;
}

// Methods whose repetition cannot move value twice.
const SAFE_METHODS = /^(GET|HEAD|OPTIONS|PUT|DELETE)$/i;

/**
 * Whether to send the call again. Ambiguous failures (timeout, reset after sending, 408, 5xx) may
 * have committed on the server, so a POST is repeated only when the server deduplicates it by key.
 * 429 and 409 (key in flight) are refusals that committed nothing, as is a connection that never
 * reached the server. The credit-send 501 is a business answer, never retried.
 * @param input The failed attempt: method, status or error kind, family, attempt number, policy.
 * @returns `true` to send the call again. Pure: it never throws.
 * @example
 * ```ts
 * shouldRetry({ method: 'POST', status: 503, family: 'billing', attempt: 0, maxRetries: 2, idempotent: true }); // true
 * shouldRetry({ method: 'POST', status: 501, family: 'credit-send', attempt: 0, maxRetries: 2, idempotent: true }); // false
 * ```
 */
export function shouldRetry(input: RetryInput): boolean {
  const { status, error } = input;
  if (input.attempt >= input.maxRetries || error === 'abort') return false;
  const repeatable = input.idempotent || SAFE_METHODS.test(input.method);
  if (error === 'connection') return input.afterSend === false || repeatable;
  if (error === 'timeout') return repeatable;
  if (status === 429 || status === 409) return true;
  if (status === 501 && input.family === 'credit-send') return false;
  return (status === 408 || (status ?? 0) >= 500) && repeatable;
}

// RFC 9110's third HTTP date form, `Sun Nov  6 08:49:37 1994`, names no zone: it is GMT, as every
// HTTP date is, but Date.parse reads a date without a zone as local time.
const ASCTIME = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

/**
 * The server's wait hint in ms: `retry-after-ms`, else `Retry-After` as seconds or an HTTP date;
 * capped at 60 s, never negative. `undefined` when absent or unparsable.
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = parseFloat(headers?.get('retry-after-ms') ?? '');
  const after = headers?.get('retry-after') ?? '';
  const wait = !Number.isNaN(ms)
    ? ms
    : /^\s*\d+(\.\d+)?\s*$/.test(after)
      ? Number(after) * 1000
      : Date.parse(ASCTIME.test(after) ? `${after} GMT` : after) - now;
  return Number.isNaN(wait) ? undefined : Math.min(Math.max(wait, 0), RETRY_AFTER_MAX_MS);
}

/**
 * Delay before retry number `attempt + 1`: the server's hint when it sent one, else exponential
 * backoff `baseDelayMs * 2^attempt` capped at `maxDelayMs`, minus up to 25 % jitter so clients that
 * failed together do not retry together.
 * @param attempt 0-based index of the attempt that just failed.
 * @param policy `baseDelayMs` and `maxDelayMs` of the retry policy.
 * @param headers The failed response's headers: `retry-after-ms` or `Retry-After` (seconds or an
 *   HTTP date) win, capped at 60 s.
 * @param random Jitter source in [0, 1); default `Math.random`.
 * @returns The delay in milliseconds. Pure: it never throws.
 * @example
 * ```ts
 * retryDelayMs(2, DEFAULT_RETRY, undefined, () => 0); // 2000
 * retryDelayMs(0, DEFAULT_RETRY, new Headers({ 'Retry-After': '3' })); // 3000
 * ```
 */
export function retryDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  headers?: Headers,
  random: () => number = Math.random,
): number {
  return (
    retryAfterMs(headers) ??
    Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs) * (1 - random() * 0.25)
  );
}
