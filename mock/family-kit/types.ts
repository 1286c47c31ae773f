/**
 * A request as the family logic sees it: already routed, nothing framework-specific. The MSW and
 * `node:http` adapters both build one, so the logic is tested without HTTP.
 */
export interface MockRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/api/white-label/transfer`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header lookup by lower-case name. */
  readonly header: (name: string) => string | undefined;
  /**
   * Every header as received, flattened `name, value, name, value` (node's `rawHeaders`): what the
   * request journal keeps. Absent when the adapter cannot list them; the journal then keeps the
   * headers it knows by name.
   */
  readonly rawHeaders?: readonly string[];
  /** Raw body text (`null` when there was none). */
  readonly bodyText: string | null;
  /** Set by adapters that stopped reading a body larger than the 64 KiB limit. */
  readonly bodyTooLarge?: boolean;
  /** Set on a request replayed from a durable store's log: it was authorised when it first ran. */
  readonly fromLog?: boolean;
  /** `http://host:port` as the caller reached the server, when the adapter knows it (MSW); else the Host header is used. */
  readonly origin?: string;
  /** The path prefix it was received under and `path` is below: a sandbox's (`/_mock/sandboxes/{id}`). */
  readonly basePath?: string;
  /**
   * Set by the server that forwarded this request into a sandbox when its `x-mock-admin-token` is
   * that sandbox's own token: the sandbox's control routes accept it as they accept the admin token.
   */
  readonly sandboxTokenValid?: boolean;
}

/** A JSON answer; `body === undefined` means no body. */
export interface MockResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * What the adapter must do: answer, or drop the connection (fault injection). `drop: 'after-commit'`
 * means the operation ran and committed, and only the answer is lost: the case retries with
 * idempotency keys exist for.
 */
export type Outcome = (
  | { readonly kind: 'respond'; readonly response: MockResponse; readonly replayed: boolean }
  | { readonly kind: 'drop'; readonly when: 'before' | 'after-commit' }
) & {
  /**
   * Latency to add before the answer leaves (latency faults, `--latency`), in ms. Set by the
   * pipeline; `MockApp.handle` and the durable store wait it out (`delivered`) after the
   * operation committed, so adapters never see it.
   */
  readonly delayMs?: number;
};

/**
 * HEAD is a GET whose answer the adapter sends without the body (the headers are the GET's). The
 * entry points (`MockApp.handleNow`, `DurableApp.answer`) make the GET once, so everything after them
 * (faults, the gate, the journal) sees one request object.
 */
export function headAsGet(request: MockRequest): MockRequest {
  return request.method === 'HEAD' ? { ...request, method: 'GET' } : request;
}

/** Waits out an outcome's `delayMs`, then gives it without one: what an adapter sends. */
export function delivered(outcome: Outcome): Maybe<Outcome> {
  const { delayMs } = outcome;
  if (delayMs === undefined) return outcome;
  const sent: Outcome =
    outcome.kind === 'respond'
      ? { kind: 'respond', response: outcome.response, replayed: outcome.replayed }
      : { kind: 'drop', when: outcome.when };
  return new Promise((resolve) => setTimeout(() => resolve(sent), delayMs));
}

/** JSON content types per family: billing answers errors as RFC 9457 problem documents. */
export const PROBLEM_JSON = 'application/problem+json';

/** A value now, or later: the request path stays synchronous unless a step really waits. */
export type Maybe<T> = T | Promise<T>;

/**
 * `next(value)` now when `value` is ready, after it settles otherwise: the request path's one
 * branch between synchronous and asynchronous steps (a promise per step was a measurable share of a
 * request; bench: server).
 */
export function andThen<T, U>(value: Maybe<T>, next: (settled: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
