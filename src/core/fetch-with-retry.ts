import { AbortError, ConnectionError, TimeoutError } from './errors.js';
import { type Family, familyOfPath } from './family.js';
import { DEFAULT_RETRY, type RetryPolicy, retryDelayMs, shouldRetry } from './retry.js';

/**
 * The fetch shape openapi-fetch calls: one Request in, one Response out.
 * @inline
 */
export type FetchLike = (request: Request) => Promise<Response>;

/**
 * Per-call options a method accepts and hands to the retrying fetch.
 * @inline
 */
export interface CallOptions {
  /** Cancels the call, including the wait between attempts: throws AbortError, never retried. */
  signal?: AbortSignal;
  /** Per-attempt limit until response headers arrive; overrides the client's. */
  timeoutMs?: number;
  /** Sent as `Idempotency-Key` on every attempt instead of a generated one. */
  idempotencyKey?: string;
  /** Overrides the client's retry policy for this call; `false` sends once. */
  retry?: RetryPolicy | false;
}

export interface RetryingFetchConfig {
  fetch: FetchLike;
  retry: RetryPolicy | false;
  timeoutMs: number;
  /** Whether the server deduplicates POSTs by Idempotency-Key for this family and URL. */
  idempotencyHonoured: (family: Family | undefined, url: URL) => boolean;
  /** Waits `ms` or until `signal` aborts, whichever is first (resolving either way). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Jitter source (tests pin it). */
  random?: () => number;
}

const sleepMs = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    // `signal` belongs to one call, so its listener goes away with the call; no need to remove it.
    signal.addEventListener('abort', () => resolve(clearTimeout(timer)));
  });

// Connection failures that prove nothing was sent (undici `cause.code`), so any method may repeat.
const NOT_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT)$/;
// Optional chaining reads the code off any thrown value (an Error, a string, undefined) without throwing.
const causeCode = (e: unknown): unknown => (e as { cause?: { code?: unknown } } | undefined)?.cause?.code;

/**
 * Builds the fetch given to openapi-fetch. Retrying here, below the middleware, means middleware
 * runs once per logical call while each attempt sends a fresh clone of the request. Per-call
 * options travel through openapi-fetch 0.17's per-request `fetch` option:
 * `client.POST(path, { body, fetch: retrying(callOptions) })`; `retrying()` is the client default.
 *
 * A POST to a server that honours keys gets one generated `Idempotency-Key` reused on every
 * attempt (a caller's key or header wins). Servers that ignore keys get none: it would buy nothing
 * and an unknown header can fail a browser's CORS preflight. Resolves with the final Response,
 * error statuses included (mapping them is the method's job); throws AbortError, TimeoutError or
 * ConnectionError when there is no response.
 */
export function createRetryingFetch(config: RetryingFetchConfig): (call?: CallOptions) => FetchLike {
  const { sleep = sleepMs } = config;
  return (call = {}) =>
    async (request) => {
      // `retry: false` is a policy of no retries (its delays are never used).
      const policy = (call.retry ?? config.retry) || { ...DEFAULT_RETRY, maxRetries: 0 };
      const timeoutMs = call.timeoutMs ?? config.timeoutMs;
      const { headers, method } = request;
      const url = new URL(request.url);
      // The family decides the credit-send 501 rule and, with the URL, whether keys are honoured.
      const family = familyOfPath(url.pathname);
      const honoured = config.idempotencyHonoured(family, url);
      // The caller's key (call option, then header) wins; else one generated key when it buys safety.
      const key =
        call.idempotencyKey ||
        headers.get('idempotency-key') ||
        (honoured && method === 'POST' && crypto.randomUUID());
      if (key) headers.set('idempotency-key', key);
      // The caller may cancel through the call options or a signal set on the Request itself.
      const cancel = call.signal ? AbortSignal.any([call.signal, request.signal]) : request.signal;
      const aborted = () => new AbortError('Aborted by the caller.', { cause: cancel.reason });
      // The body is read once; every attempt sends these bytes in a Request of its own. Cloning per
      // attempt instead tees a stream and builds a proxy stream: 3/4 of a call's cost (bench: sdk).
      const body = request.body && (await request.arrayBuffer());
      for (let attempt = 0; ; attempt++) {
        if (cancel.aborted) throw aborted();
        // One signal per attempt: its timeout, and the caller's cancel (which also covers body reads).
        const timeout = new AbortController();
        const timer = setTimeout(() => timeout.abort(), timeoutMs);
        cancel.addEventListener('abort', () => timeout.abort(cancel.reason));
        let response: Response | undefined;
        let failure: unknown;
        try {
          response = await config.fetch(new Request(request, { signal: timeout.signal, body }));
        } catch (e) {
          failure = e;
        }
        // The timeout covers the wait for headers; body reads stay bound to the caller's signal.
        clearTimeout(timer);
        if (!response && cancel.aborted) throw aborted();
        // Without an answer and not cancelled, an aborted attempt signal means the timeout fired.
        const timedOut = timeout.signal.aborted;
        const again = shouldRetry({
          method,
          family,
          idempotent: honoured && !!key,
          attempt,
          maxRetries: policy.maxRetries,
          ...(response
            ? { status: response.status }
            : {
                error: timedOut ? 'timeout' : 'connection',
                afterSend: !NOT_SENT.test(String(causeCode(failure))),
              }),
        });
        if (response && !again) return response;
        if (!again) {
          const tries = `${attempt + 1} attempt${attempt ? 's' : ''}`;
          const cause = { cause: failure };
          throw timedOut
            ? new TimeoutError(
                `No response within ${timeoutMs} ms (${tries}). Raise timeoutMs or retry later.`,
                cause,
              )
            : new ConnectionError(
                `Could not reach ${url.origin} (${tries}): ${failure instanceof Error ? failure.message : failure}. Check the base URL and the network.`,
                cause,
              );
        }
        // Release the connection of a response we drop.
        response?.body?.cancel().catch(() => {});
        await sleep(retryDelayMs(attempt, policy, response?.headers, config.random), cancel);
      }
    };
}
