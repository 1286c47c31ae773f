import { MockApp, type MockAppOptions } from './app.js';
import type { MockRequest, Outcome } from './family-kit/types.js';
import { MAX_BODY_BYTES } from './steps/parse-body.js';
import { RequestContext } from './steps/request-context.js';

/** Options of {@link createMockFetch}. */
export interface CreateMockFetchOptions extends Omit<MockAppOptions, 'onChange' | 'snapshot'> {
  /**
   * Origins the reference server answers; default the registry's: `http://localhost:4010` and each
   * family's documented host (the extra families' own included).
   */
  readonly origins?: readonly string[];
  /**
   * Where a request to any other origin goes; default the global `fetch` as it was when
   * `createMockFetch` was called, so installing the mock as the global fetch leaves other calls alone.
   */
  readonly passthrough?: typeof fetch;
}

/** A WHATWG `fetch` answered by an in-process reference server, and that server. */
export interface MockFetch {
  /** Pass as `createClient({ fetch })`, or install as `globalThis.fetch` in a test. */
  readonly fetch: typeof fetch;
  /** The in-process reference server: `app.world.ledger`, `app.reset(seed)`, `app.snapshot()`. */
  readonly app: MockApp;
}

/**
 * A `fetch` served by the reference server in the same process: no port, no MSW, no interception.
 * Routing, faults, latency, the request journal and sandboxes are those of the HTTP server; a dropped
 * connection (`reset`, `reset-after-commit` faults) rejects the fetch with a `TypeError`, as a network
 * error does in Node's fetch, and an aborted signal rejects it with the signal's reason.
 *
 * @param options `seed` (default the demo seed), `origins`, `passthrough`, `clock`, `adminToken`,
 *   `latencyMs`, `families`.
 * @returns `fetch` and `app`, the in-process server state.
 * @throws SeedIssues when `seed` is invalid, naming every offending field.
 * @example
 * ```ts
 * const mock = createMockFetch();
 * const client = createClient({ fetch: mock.fetch, credentials: { reseller: { apiKey: 'rs_demo' } } });
 * afterEach(() => mock.app.reset());
 * ```
 */
export function createMockFetch(options: CreateMockFetchOptions = {}): MockFetch {
  const app = new MockApp(options);
  const served = new Set((options.origins ?? app.registry.origins).map((origin) => new URL(origin).origin));
  const passthrough = options.passthrough ?? globalThis.fetch;
  const mockFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!served.has(url.origin)) return passthrough(request);
    const { signal } = request;
    signal.throwIfAborted();
    const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
    const tooLarge = body !== null && body.byteLength > MAX_BODY_BYTES;
    const received: MockRequest = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      header: (name) => request.headers.get(name) ?? undefined,
      rawHeaders: [...request.headers].flat(),
      bodyText: body === null || tooLarge || body.byteLength === 0 ? null : new TextDecoder().decode(body),
      bodyTooLarge: tooLarge,
      origin: url.origin,
    };
    const outcome = await answered(app.handle(new RequestContext(received)), signal);
    return toResponse(outcome, request.method);
  };
  return { fetch: mockFetch, app };
}

/** The outcome, or the signal's reason once it fires (the operation may have run: as over HTTP). */
function answered(outcome: Outcome | Promise<Outcome>, signal: AbortSignal): Promise<Outcome> {
  if (!(outcome instanceof Promise)) return Promise.resolve(outcome);
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    outcome.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** What a client reads off the wire: the answer as a Response, or a dropped connection as undici shows it. */
function toResponse(outcome: Outcome, method: string): Response {
  if (outcome.kind === 'drop') {
    const closed = Object.assign(new Error(`other side closed (reference server fault, ${outcome.when})`), {
      code: 'UND_ERR_SOCKET',
    });
    throw new TypeError('fetch failed', { cause: closed });
  }
  const { status, body, headers } = outcome.response;
  const head = new Headers(body === undefined ? {} : { 'content-type': 'application/json' });
  for (const [name, value] of Object.entries(headers ?? {})) head.set(name, value);
  // HEAD and the statuses that have no content carry no body, as over HTTP.
  const empty = body === undefined || method === 'HEAD' || status === 204 || status === 304;
  return new Response(empty ? null : JSON.stringify(body), { status, headers: head });
}
