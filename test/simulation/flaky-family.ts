/**
 * A family of the simulation only: a counter whose one write runs asynchronously and rejects when
 * the request says so (`X-Flaky-Reject: 1`), as a handler awaiting something that fails does. No
 * built-in handler rejects, so without it the simulation could not see a rejected handler keep its
 * Idempotency-Key in flight (every retry answered 409). The header is recorded by a durable store,
 * so a replay after a crash rejects the same requests again.
 */
import type { OperationSchema } from '../../generated/operations.js';
import { defineFamily } from '../../mock/family-kit/define-family.js';
import { describeFields, ERROR_STATUS, type ErrorShapes } from '../../mock/family-kit/errors.js';
import type { FamilyDefinition } from '../../mock/family-kit/family.js';
import type { MockResponse } from '../../mock/family-kit/types.js';
import { AmountError } from '../../mock/ledger/money.js';

interface FlakyState {
  /** API key -> count. */
  readonly counts: Record<string, number>;
}

type FlakyApi = {
  readonly addFlaky: {
    readonly body: { readonly amount: number };
    readonly query: Readonly<Record<string, never>>;
    readonly params: Readonly<Record<string, never>>;
  };
};

export const FLAKY_KEY = 'flaky_demo';
export const FLAKY_PATH = '/flaky/v1/add';

const fail = (status: number, reason: string): MockResponse => ({ status, body: { flaky_error: reason } });

const errors: ErrorShapes = {
  transport: (kind, detail) => fail(ERROR_STATUS[kind], `${kind}: ${detail}`),
  idempotency: (kind, detail) => fail(ERROR_STATUS[kind], `${kind}: ${detail}`),
  server: (kind, status, detail) => fail(status, `${kind}: ${detail}`),
  validation: (fieldErrors) => fail(422, describeFields(fieldErrors)),
};

const routes: Record<keyof FlakyApi, OperationSchema> = {
  addFlaky: {
    method: 'POST',
    path: FLAKY_PATH,
    family: 'flaky',
    security: [],
    body: {
      type: 'object',
      required: ['amount'],
      properties: { amount: { type: 'integer', minimum: 1, maximum: 1000 } },
    },
    bodyRequired: true,
    query: null,
    responses: {},
  },
};

const definition: FamilyDefinition<FlakyState, { readonly apiKey: string }, FlakyApi> = {
  tag: 'flaky',
  seedKey: 'flaky',
  // Served in process only: no public origin for MSW to intercept.
  origins: [],
  prefixes: ['/flaky/v1'],
  headers: ['X-Flaky-Key', 'X-Flaky-Reject'],
  routes,
  errors,
  seed: () => ({ counts: { [FLAKY_KEY]: 0 } }),
  authenticate({ state, request }) {
    const apiKey = request.header('x-flaky-key');
    return apiKey !== undefined && Object.hasOwn(state.counts, apiKey)
      ? { ok: true, principal: { apiKey } }
      : { ok: false, response: fail(401, 'unknown x-flaky-key') };
  },
  // Only successes are kept: a rejected request's retry runs again.
  idempotency: { scope: (principal) => principal.apiKey, replays: (status) => status < 400 },
  operations: {
    async addFlaky({ state, principal, body, request }) {
      // Settles on a later turn, as a handler awaiting another service does.
      await Promise.resolve();
      if (request.header('x-flaky-reject') === '1')
        throw new AmountError('not_representable', 'amount cannot be converted right now.', 'amount');
      const count = (state.counts[principal.apiKey] ?? 0) + body.amount;
      state.counts[principal.apiKey] = count;
      return { status: 201, body: { count } };
    },
  },
};

export const flaky = defineFamily(definition);
