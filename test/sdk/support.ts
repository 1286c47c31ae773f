import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createHandlers } from '../../mock/index.js';
import { Clock } from '../../mock/ledger/clock.js';
import { type CommonClientOptions, createClient } from '../../src/index.js';

/** The demo seed's credentials for every family. */
export const DEMO_CREDENTIALS = {
  whiteLabel: { apiKey: 'wl_admin_demo' },
  reseller: { apiKey: 'rs_demo' },
  creditSend: { email: 'ada@example.com', secret: 's3cret-ada' },
  billing: { apiKey: 'flowyte_sk_test_demo', sessionToken: 'flowyte_session_demo' },
} as const;

/**
 * The reference server in-process under MSW's `setupServer`, reset to the demo seed after every
 * test. Nothing in the SDK is mocked: it calls `fetch`, MSW answers from the reference server.
 */
export async function useReferenceServer() {
  const mock = await createHandlers({ clock: Clock.controlled('2025-06-01T12:00:00Z') });
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    mock.app.reset();
    mock.app.world.ledger.clock.set('2025-06-01T12:00:00Z');
  });
  afterAll(() => server.close());
  return { server, app: mock.app };
}

/** A client on the reference server with the demo credentials and fast retries. */
export function demoClient(options: CommonClientOptions = {}) {
  return createClient({
    baseUrl: 'http://localhost:4010',
    credentials: DEMO_CREDENTIALS,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

/** Counts the requests MSW sees for `path` from now on (the test's `afterEach` removes the listener). */
export function countRequests(server: SetupServer, path: string): () => number {
  let count = 0;
  server.events.on('request:start', ({ request }) => {
    if (new URL(request.url).pathname === path) count += 1;
  });
  return () => count;
}
