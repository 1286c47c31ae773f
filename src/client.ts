import type { Client } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { bindFamilyClients, type FamilyClients } from '../generated/sdk/index.js';
import type { FamilyKey } from './core/family.js';
import { createFamilyRuntime } from './core/family-runtime.js';
import { type ClientOptions, normalizeClientOptions } from './core/options.js';

/**
 * The SDK: one typed client per family ({@link WhiteLabelClient}, {@link ResellerClient},
 * {@link CreditSendClient}, {@link BillingClient}), plus the underlying path-based openapi-fetch clients.
 */
export interface LedgerlineClient extends FamilyClients {
  /** openapi-fetch clients per family, for path-based calls (`paths.billing.GET('/api/v1/billing/wallet')`). */
  readonly paths: Readonly<Record<FamilyKey, Client<paths>>>;
}

/**
 * Creates the SDK client with every family; each family's own factory (`createResellerClient`, ...)
 * gives one family alone, and a smaller bundle. Options are validated here, once: a mistake throws
 * `ClientOptionsError` listing every problem.
 * @param options Base URL(s), one credential per family, retry policy, timeout, fetch, middleware;
 *   all optional (without a base URL each family calls its documented host).
 * @returns One typed client per family (`whiteLabel`, `reseller`, `creditSend`, `billing`) and the
 *   openapi-fetch clients under `paths`. Its methods throw {@link ApiError} subclasses for error
 *   answers and {@link ConnectionError}, {@link TimeoutError} or {@link AbortError} without one.
 * @throws A {@link ClientOptionsError} when an option is invalid, listing every problem.
 * @example
 * ```ts
 * const client = createClient({ baseUrl: 'http://localhost:4010', credentials: { reseller: { apiKey: 'rs_demo' } } });
 * const { new_to_balance } = await client.reseller.transfer({ to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
 * ```
 */
export function createClient(options: ClientOptions = {}): LedgerlineClient {
  const normalized = normalizeClientOptions(options);
  const paths: Partial<Record<FamilyKey, Client<paths>>> = {};
  const families = bindFamilyClients((definition) => {
    const runtime = createFamilyRuntime(definition, normalized);
    paths[definition.key] = runtime.paths;
    return runtime;
  });
  return { ...families, paths: paths as Record<FamilyKey, Client<paths>> };
}
