import openapiFetch, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { createApiError } from './core/error-mapping.js';
import { FAMILIES, FAMILY_KEYS, type FamilyKey, PATH_PREFIXES } from './core/family.js';
import { type CallOptions, createRetryingFetch, SENT_BODY } from './core/fetch-with-retry.js';
import { type ClientOptions, type CreditSendCredentials, normalizeClientOptions } from './core/options.js';
import { OPERATIONS } from './operations.js';
import type { FamilyClient } from './types.js';

// openapi-fetch's CommonJS file sets `exports.default`; in our CommonJS build esbuild's Node-style
// interop hands over that whole exports object as the default import. Unwrap it there.
const createOpenApiClient: typeof openapiFetch =
  typeof openapiFetch === 'function'
    ? openapiFetch
    : (openapiFetch as unknown as { default: typeof openapiFetch }).default;

/** The SDK: one typed client per family, plus the underlying path-based openapi-fetch clients. */
export interface LedgerlineClient {
  readonly whiteLabel: FamilyClient<'whiteLabel'>;
  readonly reseller: FamilyClient<'reseller'>;
  readonly creditSend: FamilyClient<'creditSend'>;
  readonly billing: FamilyClient<'billing'>;
  /** openapi-fetch clients per family, for path-based calls (`paths.billing.GET('/api/v1/billing/wallet')`). */
  readonly paths: Readonly<Record<FamilyKey, Client<paths>>>;
}

type Raw = {
  request(
    method: string,
    path: string,
    init: object,
  ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
};
type Json = Record<string, unknown>;
/** An `OPERATIONS` row resolved for sending: `[method, full path, flags, operationId]`. */
type Op = readonly [method: string, path: string, flags: string, operationId: string];

/**
 * Creates the SDK client. Options are validated here, once: a mistake throws `ClientOptionsError`
 * listing every problem.
 * @param options Base URL(s), one credential per family, retry policy, timeout, fetch, middleware;
 *   all optional (without a base URL each family calls its documented host).
 * @returns One typed client per family (`whiteLabel`, `reseller`, `creditSend`, `billing`) and the
 *   openapi-fetch clients under `paths`. Its methods throw {@link ApiError} subclasses for error
 *   answers and {@link ConnectionError}, {@link TimeoutError} or {@link AbortError} without one.
 * @throws {@link ClientOptionsError} when an option is invalid, listing every problem.
 * @example
 * ```ts
 * const client = createClient({ baseUrl: 'http://localhost:4010', credentials: { reseller: { apiKey: 'rs_demo' } } });
 * const { new_to_balance } = await client.reseller.transfer({ to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
 * ```
 */
export function createClient(options: ClientOptions = {}): LedgerlineClient {
  const o = normalizeClientOptions(options);
  // The normalized options hold `fetch`, `retry` and `timeoutMs` under the names the retrying fetch reads.
  const retrying = createRetryingFetch({
    ...o,
    idempotencyHonoured: (family) => o.idempotencyHonouredBy.has(family),
  });
  const clients = {} as Record<FamilyKey, Client<paths>>;
  // The client under construction: a credit-send login calls its own `creditSend.login` method.
  const api: Json = { paths: clients };
  const { billing, creditSend } = o.credentials;

  // Credit send: a fixed token, or a login (`account`) on first use and again when the token expires
  // or is refused.
  const account = creditSend && 'email' in creditSend ? creditSend : undefined;
  let token = creditSend && 'token' in creditSend ? creditSend.token : undefined;
  let renewAt = 0;

  // Header values left undefined are not sent (openapi-fetch skips them).
  function headersFor(family: FamilyKey, flags: string): Json {
    if (flags === 'n') return {};
    if (family === 'creditSend') return { token };
    const key =
      family === 'billing'
        ? flags === 's'
          ? (billing?.sessionToken ?? billing?.apiKey)
          : (billing?.apiKey ?? billing?.sessionToken)
        : o.credentials[family]?.apiKey;
    return { Authorization: key && `Bearer ${key}` };
  }

  // Credit send: a login with `account`, valid until `renewAt` (local time, not the server's).
  async function login({
    email,
    secret,
    ttlSeconds = 3600,
  }: Extract<CreditSendCredentials, { email: string }>) {
    // Renew a minute early (or at half the ttl) so a token never expires in flight.
    const at = Date.now() + Math.max(ttlSeconds * 500, ttlSeconds * 1000 - 60_000);
    token = (
      await (api as unknown as LedgerlineClient).creditSend.login({ email, secret, ttl: `${ttlSeconds}` })
    ).data.token;
    renewAt = at;
  }

  async function call(family: FamilyKey, op: Op, args: unknown[], retried = false): Promise<unknown> {
    const [method, path, flags, operation] = op;
    // Flag `o`: the method takes no body nor query, so its first argument is the per-call options.
    const [input, callOptions] = (flags === 'o' ? [undefined, ...args] : args) as [unknown, CallOptions?];
    // The call's signal reaches the retrying fetch through `callOptions`. A body is serialized here
    // and also handed over as SENT_BODY, so a retry resends it without re-reading the first Request.
    const json = method === 'GET' ? undefined : JSON.stringify(input ?? {});
    // Log in on first use, when the token is about to expire, and again after a refusal.
    if (family === 'creditSend' && account && flags !== 'n' && (retried || Date.now() >= renewAt))
      await login(account);
    const { data, error, response } = await (clients[family] as unknown as Raw).request(method, path, {
      headers: headersFor(family, flags),
      // Without per-call options, the family client's own retrying fetch does.
      ...(callOptions && { fetch: retrying(FAMILIES[family], callOptions) }),
      [SENT_BODY]: json,
      ...(json ? { body: input, bodySerializer: () => json } : { params: { query: input } }),
    });
    // Billing wraps every success in `{success, data}`.
    if (response.ok) return family === 'billing' ? (data as Json | undefined)?.data : data;
    // A refused credit-send token: log in again once, then repeat the call.
    if (response.status === 401 && family === 'creditSend' && account && flags !== 'n' && !retried)
      return call(family, op, args, true);
    throw createApiError(FAMILIES[family], operation, response.status, error, response.headers);
  }

  // A list method answers a page that also iterates over every item of every page.
  function paged(family: FamilyKey, op: Op, args: unknown[]) {
    const first = call(family, op, args);
    return Object.assign(first, {
      async *[Symbol.asyncIterator]() {
        const query = { ...(args[0] as Json | undefined) };
        for (let body = (await first) as Json; ; body = (await call(family, op, [query, args[1]])) as Json) {
          // Billing pages are `{items, nextCursor}`; reseller logs come as `{success, data: {logs, page, total_pages}}`.
          const page = (body.data ?? body) as Json;
          yield* (page.items ?? page.logs) as unknown[];
          // Billing lists hand out cursors; reseller logs count pages (NaN, when absent, compares false).
          const n = Number(page.page);
          if (typeof page.nextCursor === 'string') query.cursor = page.nextCursor;
          else if (n < Number(page.total_pages)) query.page = n + 1;
          else return;
        }
      },
    });
  }

  for (const family of FAMILY_KEYS) {
    const raw = createOpenApiClient<paths>({
      baseUrl: o.baseUrls[family],
      fetch: retrying(FAMILIES[family]),
    });
    raw.use(...o.middleware);
    clients[family] = raw;
    const methods: Json = {};
    api[family] = methods;
    for (const [name, line] of Object.entries(OPERATIONS[family])) {
      const [method = '', path = '', flags = '', operation = name] = line.split(' ');
      const op: Op = [method, PATH_PREFIXES[family] + path, flags, operation];
      methods[name] = /usage|invoices|plans|logs/.test(path)
        ? (...args: unknown[]) => paged(family, op, args)
        : (...args: unknown[]) => call(family, op, args);
    }
  }
  return api as unknown as LedgerlineClient;
}
