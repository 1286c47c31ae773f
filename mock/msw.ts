// Types only: msw is an optional peer, loaded by createHandlers alone (see there).
import type { HttpHandler } from 'msw';
import { MockApp, type MockAppOptions } from './app.js';
import { BUILTIN_FAMILIES } from './families/index.js';
import type { MockRequest } from './family-kit/types.js';
import { FamilyRegistry } from './registry/registry.js';
import { RequestContext } from './steps/request-context.js';

/**
 * The reference origin and each built-in family's documented host: app code calling either is
 * intercepted. Extra families (`families` option) add their own origins.
 */
export const DEFAULT_ORIGINS: readonly string[] = new FamilyRegistry(BUILTIN_FAMILIES).origins;

/** Options of {@link createHandlers}. */
export interface CreateHandlersOptions extends Omit<MockAppOptions, 'onChange' | 'snapshot'> {
  /** Origins to intercept; default the registry's: {@link DEFAULT_ORIGINS} and the extra families' own. */
  readonly origins?: readonly string[];
}

/** MSW handlers over one reference-server state, and a handle on that state for assertions. */
export interface MockHandlers {
  /** Pass to `setupServer(...handlers)` or `setupWorker(...handlers)`. */
  readonly handlers: HttpHandler[];
  /** The in-process reference server: `app.world.ledger`, `app.reset(seed)`, `app.snapshot()`. */
  readonly app: MockApp;
}

async function toContext(request: Request): Promise<RequestContext> {
  const url = new URL(request.url);
  const text = request.body === null ? null : await request.text();
  const received: MockRequest = {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    header: (name) => request.headers.get(name) ?? undefined,
    rawHeaders: [...request.headers].flat(),
    bodyText: text,
    origin: url.origin,
  };
  return new RequestContext(received);
}

/**
 * MSW 2 request handlers implementing every family of openapi.yaml on one in-process ledger.
 * Requests to other paths of those origins fall through to the next handler.
 *
 * Asynchronous because msw is loaded here, on first use, and not when `ledgerline/mock` is: msw is
 * an optional peer, and its CommonJS build needs require(esm), which Node 20 before 20.19 lacks.
 * `createMockFetch` serves the same server without msw.
 *
 * @param options `seed` (default the demo seed), `origins` (default {@link DEFAULT_ORIGINS}),
 *   `clock`, `adminToken`, `latencyMs`.
 * @returns The handlers for `setupServer`/`setupWorker`, and `app`, the in-process server state.
 * @throws SeedIssues when `seed` is invalid, naming every offending field.
 * @example
 * ```ts
 * const mock = await createHandlers();
 * const server = setupServer(...mock.handlers);
 * server.listen();
 * afterEach(() => mock.app.reset());
 * ```
 */
export async function createHandlers(options: CreateHandlersOptions = {}): Promise<MockHandlers> {
  const app = new MockApp(options);
  const { http, HttpResponse } = await import('msw');
  const origins = options.origins ?? app.registry.origins;
  const { router } = app.registry;
  const handlers = origins.map((origin) =>
    http.all(`${origin.replace(/\/$/, '')}/*`, async ({ request }) => {
      // Paths outside the registered families and /_mock are not ours: leave them to other handlers.
      if (router.familyOf(new URL(request.url).pathname) === undefined) return undefined;
      const outcome = await app.handle(await toContext(request));
      // A dropped connection is a network error for the client, whatever was committed.
      if (outcome.kind === 'drop') return HttpResponse.error();
      const { status, body, headers } = outcome.response;
      if (body === undefined) return new HttpResponse(null, { status, headers: { ...headers } });
      return new HttpResponse(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json', ...headers },
      });
    }),
  );
  return { handlers, app };
}
