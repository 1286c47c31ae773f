/**
 * A small family that is not in openapi.yaml, defined here and nowhere under mock/: a counter per
 * API key, with its own routes, credentials, error shape, seed section, state and idempotency rule.
 * test/mock/registry.test.ts serves it beside the built-in families to prove the registry is the
 * only place a family is declared.
 */
import type { OperationSchema } from '../../generated/operations.js';
import { defineFamily } from '../../mock/family-kit/define-family.js';
import { describeFields, ERROR_STATUS, type ErrorShapes } from '../../mock/family-kit/errors.js';
import { type FamilyDefinition, SeedError } from '../../mock/family-kit/family.js';
import type { MockResponse } from '../../mock/family-kit/types.js';

export interface TallyState {
  /** API key -> count. */
  readonly counts: Record<string, number>;
}

type TallyApi = {
  readonly addTally: {
    readonly body: { readonly amount: number; readonly note?: string };
    readonly query: Readonly<Record<string, never>>;
    readonly params: Readonly<Record<string, never>>;
  };
  readonly getTally: {
    readonly body: Readonly<Record<string, never>>;
    readonly query: { readonly double?: boolean };
    readonly params: Readonly<Record<string, never>>;
  };
};

export const TALLY_ORIGIN = 'https://tally.example.test';

const fail = (status: number, reason: string): MockResponse => ({ status, body: { tally_error: reason } });

const errors: ErrorShapes = {
  transport: (kind, detail) => fail(ERROR_STATUS[kind], `${kind}: ${detail}`),
  idempotency: (kind, detail) => fail(ERROR_STATUS[kind], `${kind}: ${detail}`),
  server: (kind, status, detail) => fail(status, `${kind}: ${detail}`),
  validation: (fieldErrors) => fail(400, describeFields(fieldErrors)),
};

const routes: Record<keyof TallyApi, OperationSchema> = {
  addTally: {
    method: 'POST',
    path: '/tally/v1/add',
    family: 'tally',
    security: [],
    body: {
      type: 'object',
      required: ['amount'],
      properties: { amount: { type: 'integer', minimum: 1, maximum: 1000 }, note: { type: 'string' } },
    },
    bodyRequired: true,
    query: null,
    responses: {},
  },
  getTally: {
    method: 'GET',
    path: '/tally/v1/count',
    family: 'tally',
    security: [],
    body: null,
    bodyRequired: false,
    query: { type: 'object', properties: { double: { type: 'boolean' } }, required: [] },
    responses: {},
  },
};

/**
 * The whole declaration. The tally keeps its counts in its state and declares no ledger assets: the
 * ledger keeps accounts of openapi.yaml's families only (a family tag there is the ledger's `Family`).
 */
export const tallyDefinition: FamilyDefinition<TallyState, { readonly apiKey: string }, TallyApi> = {
  tag: 'tally',
  seedKey: 'tally',
  origins: [TALLY_ORIGIN],
  prefixes: ['/tally/v1'],
  // Its own credential header: a durable store records it, so a replay is authorised as it was.
  headers: ['X-Tally-Key'],
  routes,
  errors,
  seed(_ledger, section) {
    if (section === undefined) return { counts: { tally_demo: 0 } };
    if (
      typeof section !== 'object' ||
      section === null ||
      !('keys' in section) ||
      !Array.isArray(section.keys)
    )
      throw new SeedError('tally.keys', 'must be an array of API keys');
    return { counts: Object.fromEntries(section.keys.map((key: unknown) => [String(key), 0])) };
  },
  authenticate({ state, request }) {
    const apiKey = request.header('x-tally-key');
    return apiKey !== undefined && Object.hasOwn(state.counts, apiKey)
      ? { ok: true, principal: { apiKey } }
      : { ok: false, response: fail(401, 'unknown x-tally-key') };
  },
  // 503 is this family's "come back later": unlike other 5xx answers, it is kept for replay.
  idempotency: {
    scope: (principal) => principal.apiKey,
    replays: (status) => status < 500 || status === 503,
  },
  operations: {
    addTally({ state, principal, body }) {
      if (body.note === 'closed') return fail(503, 'closed for the day');
      const count = (state.counts[principal.apiKey] ?? 0) + body.amount;
      state.counts[principal.apiKey] = count;
      return { status: 201, body: { count } };
    },
    getTally({ state, principal, query }) {
      const count = state.counts[principal.apiKey] ?? 0;
      return { status: 200, body: { count: query.double === true ? count * 2 : count } };
    },
  },
};

export const tally = defineFamily(tallyDefinition);
