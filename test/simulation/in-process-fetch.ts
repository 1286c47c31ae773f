import type { MockRequest, Outcome } from '../../mock/family-kit/types.js';

/** One request the simulation's clients sent and what came back (`undefined`: the connection dropped). */
export interface Exchange {
  readonly request: MockRequest;
  readonly status: number | undefined;
  readonly body: unknown;
  readonly replayed: boolean;
  /** The answer's `x-request-id`: its id in the request journal. */
  readonly requestId?: string | undefined;
}

/** The server's entry point: the durable app of the moment (a crash replaces it). */
export type Answer = (request: MockRequest) => Outcome | Promise<Outcome>;

/** A request as a {@link MockRequest} (headers lower-case, the body as text). */
export async function toMockRequest(request: Request): Promise<MockRequest> {
  const url = new URL(request.url);
  const bodyText = request.body === null ? null : await request.text();
  const headers = new Map<string, string>();
  for (const [name, value] of request.headers) headers.set(name.toLowerCase(), value);
  return {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    header: (name) => headers.get(name),
    bodyText,
    origin: url.origin,
  };
}

/**
 * A fetch that calls the reference server in this process, no sockets: a dropped connection (fault
 * `reset`, `reset-after-commit`) is the TypeError a real fetch throws, with ECONNRESET as its cause
 * (the SDK then retries a keyed POST, as it would over the network). Every exchange is shown to `observe`.
 */
export function inProcessFetch(answer: Answer, observe: (exchange: Exchange) => void) {
  return async (input: Request): Promise<Response> => {
    const request = await toMockRequest(input);
    const outcome = await answer(request);
    if (outcome.kind === 'drop') {
      observe({ request, status: undefined, body: undefined, replayed: false });
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    }
    const { status, body, headers } = outcome.response;
    observe({ request, status, body, replayed: outcome.replayed, requestId: headers?.['x-request-id'] });
    const text = body === undefined ? null : JSON.stringify(body);
    const type: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    return new Response(status === 204 ? null : text, { status, headers: { ...type, ...headers } });
  };
}
