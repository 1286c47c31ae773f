import { AbortError, ConnectionError, TimeoutError } from './errors.js';
import type { Family } from './family.js';
import { attemptDetails, type LogSink, summary } from './log.js';
import {
  type RetryOption,
  type RetryPolicy,
  resolveRetryPolicy,
  retryDelayMs,
  shouldRetry,
} from './retry.js';

/**
 * A fetch-compatible function: called as `fetch(request, { signal })`, where `signal` is the
 * attempt's timeout and the caller's cancel. A wrapper must pass `init` on (or honour its signal),
 * as `globalThis.fetch` does, or timeouts cannot cut the attempt short.
 * @inline
 */
export type FetchLike = (request: Request, init?: RequestInit) => Promise<Response>;

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
  /** Merged over the client's retry policy for this call (as the client option is over the defaults); `false` sends once. */
  retry?: RetryOption;
  /** Sent with this call, over the client's `defaultHeaders` (credential headers and Idempotency-Key refused). */
  headers?: Record<string, string>;
}

export interface RetryingFetchConfig {
  fetch: FetchLike;
  retry: RetryPolicy | false;
  timeoutMs: number;
  /** Whether the family's server deduplicates POSTs by Idempotency-Key. */
  idempotencyHonoured: (family: Family) => boolean;
  /** Waits `ms` or until `signal` aborts, whichever is first (resolving either way). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source (tests pin it). */
  random?: () => number;
  /** Where each attempt, retry and failure is logged; absent or empty: nothing is. */
  log?: LogSink;
}

/**
 * Key under which a client method hands the retrying fetch the JSON it serialized: openapi-fetch
 * copies request-init keys it does not know onto its Request. With it, the first attempt sends
 * openapi-fetch's own Request and only a retry builds another; without it (middleware replaced the
 * Request, or a call through `client.paths`), the body is read once and every attempt sends a copy.
 * Copying every time costs a Request and a body read per call: a third of the SDK's own time.
 * @internal
 */
export const SENT_BODY = 'ledgerlineBody';

const sleepMs = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    // The caller's signal may be shared by many calls and outlive this one: the listener is
    // removed when the wait ends either way, so none is left behind.
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

// Connection failures that prove nothing was sent (undici `cause.code`), so any method may repeat.
const NOT_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT)$/;
// Optional chaining reads the code off any thrown value (an Error, a string, undefined) without throwing.
const causeCode = (e: unknown): unknown => (e as { cause?: { code?: unknown } } | undefined)?.cause?.code;

/**
 * Builds the fetch given to openapi-fetch for one family. Retrying here, below the middleware,
 * means middleware runs once per logical call while each attempt sends a request of its own.
 * Per-call options travel through openapi-fetch 0.17's per-request `fetch` option:
 * `client.POST(path, { body, fetch: retrying(family, callOptions) })`; `retrying(family)` is the
 * family client's default.
 *
 * A POST to a server that honours keys gets one generated `Idempotency-Key` reused on every
 * attempt (a caller's key or header wins). Servers that ignore keys get none: it would buy nothing
 * and an unknown header can fail a browser's CORS preflight. Resolves with the final Response,
 * error statuses included (mapping them is the method's job); throws AbortError, TimeoutError or
 * ConnectionError when there is no response.
 */
export function createRetryingFetch(
  config: RetryingFetchConfig,
): (family: Family, call?: CallOptions) => FetchLike {
  const { sleep = sleepMs } = config;
  return (family, call = {}) =>
    async (request) => {
      const timeoutMs = call.timeoutMs ?? config.timeoutMs;
      const { headers, method } = request;
      const honoured = config.idempotencyHonoured(family);
      // The caller's key (call option, then header) wins; else one generated key when it buys safety.
      const key =
        call.idempotencyKey ||
        headers.get('idempotency-key') ||
        (honoured && method === 'POST' && crypto.randomUUID());
      if (key) headers.set('idempotency-key', key);
      // Set by a client method (for a GET too, as `undefined`) on the Request openapi-fetch built;
      // absent when middleware replaced it, or for calls through `client.paths`.
      const ours = SENT_BODY in request;
      const sent = (request as { [SENT_BODY]?: string })[SENT_BODY];
      // The caller cancels through the call options, or a signal set on a Request built elsewhere
      // (a method's own Request has none: it takes `signal` in the call options only).
      const cancel = ours
        ? call.signal
        : call.signal
          ? AbortSignal.any([call.signal, request.signal])
          : request.signal;
      const aborted = () => new AbortError('Aborted by the caller.', { cause: cancel?.reason });
      // The first attempt sends `request` itself unless its body must be read to be sent again.
      const reusable = ours || !request.body;
      // Every later attempt sends these bytes in a Request of its own (a body is read once).
      const body = reusable ? (sent ?? null) : await request.arrayBuffer();
      // With logging off nothing is timed or described: one check per attempt.
      const { log } = config;
      const logging = log && (log.debug || log.info || log.warn || log.error);
      const callStarted = logging ? performance.now() : 0;
      for (let attempt = 0; ; attempt++) {
        const started = logging ? performance.now() : 0;
        if (cancel?.aborted) throw aborted();
        // One signal per attempt: its timeout, and the caller's cancel (which also covers body reads).
        // `AbortSignal.any` follows the caller's signal without adding a listener to it, so a
        // signal shared by many calls keeps none of a finished attempt.
        const timeout = new AbortController();
        const signal = cancel ? AbortSignal.any([cancel, timeout.signal]) : timeout.signal;
        const timer = setTimeout(() => timeout.abort(), timeoutMs);
        let response: Response | undefined;
        let failure: unknown;
        try {
          response = await config.fetch(
            attempt === 0 && reusable ? request : new Request(request, { signal, body }),
            { signal },
          );
        } catch (e) {
          failure = e;
        }
        // The timeout covers the wait for headers; body reads stay bound to the caller's signal.
        clearTimeout(timer);
        // Without an answer and not cancelled, an aborted attempt signal means the timeout fired.
        const timedOut = timeout.signal.aborted;
        const reason = !logging
          ? ''
          : response
            ? `status ${response.status}`
            : cancel?.aborted
              ? 'aborted'
              : timedOut
                ? 'timeout'
                : 'connection';
        const details = logging && attemptDetails(family, request, attempt, started, response, reason);
        if (details && log.debug) log.debug(`attempt ${attempt + 1}, ${summary(details)}`, details);
        if (!response && cancel?.aborted) throw aborted();
        // A success is never retried: answer it before weighing the retry policy.
        if (response?.ok) return response;
        const policy = resolveRetryPolicy(config.retry, call.retry);
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
        if (details && !again) {
          // The call ends here with an error: a 4xx the app may expect is a warning, the rest errors.
          const total = { ...details, durationMs: Math.round(performance.now() - callStarted) };
          const expected = response && response.status < 500 && response.status !== 429;
          const tries = `${attempt + 1} attempt${attempt ? 's' : ''}`;
          (expected ? log.warn : log.error)?.(`failed after ${tries}, ${summary(total)}`, total);
        }
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
                `Could not reach ${new URL(request.url).origin} (${tries}): ${failure instanceof Error ? failure.message : failure}. Check the base URL and the network.`,
                cause,
              );
        }
        // Release the connection of a response we drop.
        response?.body?.cancel().catch(() => {});
        const waitMs = retryDelayMs(attempt, policy, response?.headers, config.random);
        if (details && log.info)
          log.info(`retrying in ${Math.round(waitMs)} ms (${reason}), ${summary(details)}`, {
            ...details,
            reason,
            waitMs: Math.round(waitMs),
          });
        await sleep(waitMs, cancel);
      }
    };
}
