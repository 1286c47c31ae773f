import { type OperationId, operations } from '../generated/operations.js';
import { familyOfPath, matchRoute, type Route } from '../src/spec/router.js';
import {
  handleControl,
  journalView,
  type MockJournalView,
  type MockStateView,
  stateView,
} from './control.js';
import { FaultRegistry } from './faults.js';
import { transportError, validationError } from './http/family-errors.js';
import { parseJsonBody } from './http/parse-body.js';
import type { Family, MockRequest, MockResponse, Outcome } from './http/types.js';
import { validateBody, validateQuery } from './http/validate.js';
import { Clock } from './ledger/clock.js';
import { requestFingerprint } from './ledger/idempotency.js';
import type { JournalQuery } from './ledger/journal-query.js';
import type { JsonValue } from './ledger/json.js';
import type { LedgerSnapshot } from './ledger/snapshot.js';
import { loadSeed } from './seed.js';
import { createWorld, restoreWorld, snapshotWorld, type World } from './world.js';

/** Options of {@link MockApp}. */
export interface MockAppOptions {
  /** A seed object (DESIGN.md "Seed format"); the demo seed when absent. */
  readonly seed?: unknown;
  /** A state written by {@link MockApp.snapshot}; wins over `seed`. */
  readonly snapshot?: LedgerSnapshot;
  /** The clock; default a real one. Tests pass `Clock.controlled(...)`. */
  readonly clock?: Clock;
  /** When set, every `/_mock` call needs header `x-mock-admin-token` with this value. */
  readonly adminToken?: string;
  /** Extra latency for every family request, in ms (CLI `--latency`). */
  readonly latencyMs?: number;
  /** Random source for fault probabilities (tests pass a seeded one). */
  readonly random?: () => number;
  /** Called after anything that may have changed the state (the server persists then). */
  readonly onChange?: () => void;
}

const IDEMPOTENCY_KEY_MAX = 255;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The reference server without HTTP: routes a {@link MockRequest} to the family that owns it and
 * runs the shared pipeline (credentials, body parsing, validation from openapi.yaml, idempotency,
 * faults). The MSW handlers and the `node:http` server are thin adapters over {@link handle}.
 */
export class MockApp {
  readonly faults: FaultRegistry;
  readonly adminToken: string | undefined;
  readonly #latencyMs: number;
  readonly #onChange: (() => void) | undefined;
  #world: World;
  #requestCount = 0;

  constructor(options: MockAppOptions = {}) {
    this.faults = new FaultRegistry(options.random);
    this.adminToken = options.adminToken;
    this.#latencyMs = options.latencyMs ?? 0;
    this.#onChange = options.onChange;
    this.#world = options.snapshot
      ? restoreWorld(options.snapshot)
      : createWorld(loadSeed(options.seed), options.clock ?? new Clock());
  }

  /** The current ledger, clock and family states. Replaced by {@link reset}. */
  get world(): World {
    return this.#world;
  }

  /**
   * Replaces the whole state with `seed` (the demo seed when absent): accounts, journal, idempotency
   * keys and faults. The clock keeps its time: tests that set it keep it across resets.
   * @throws SeedIssues when the seed is invalid; nothing changes then.
   */
  reset(seed?: unknown): void {
    const world = createWorld(loadSeed(seed), this.#world.ledger.clock);
    this.#world.detach();
    this.#world = world;
    this.faults.clear();
    this.#onChange?.();
  }

  /** The whole state as JSON, restorable with `new MockApp({ snapshot })`. */
  snapshot(): LedgerSnapshot {
    return snapshotWorld(this.#world);
  }

  /** Every account with its balances, system accounts included: what `GET /_mock/state` answers. */
  state(): MockStateView {
    return stateView(this.#world.ledger);
  }

  /**
   * One page of the journal, newest first: what `GET /_mock/journal` answers.
   * @throws LedgerError `invalid_cursor` for a cursor that is not a previous page's `nextCursor`.
   */
  journal(query: JournalQuery = {}): MockJournalView {
    return journalView(this.#world.ledger, query);
  }

  /** Marks the state as changed (control operations that do not go through {@link handle}). */
  changed(): void {
    this.#onChange?.();
  }

  /** Answers one request. Never throws: an unexpected error becomes a 500 in the family's shape. */
  async handle(request: MockRequest): Promise<Outcome> {
    const requestId = `req_${(++this.#requestCount).toString(36).padStart(6, '0')}`;
    const match = matchRoute(request.method, request.path);
    if (match.kind !== 'found') {
      const family = familyOfPath(request.path);
      const kind = match.kind;
      const detail =
        kind === 'not_found'
          ? `No operation at ${request.path}.`
          : `${request.method} is not allowed on ${request.path}.`;
      const response: MockResponse =
        family && family !== 'mock-admin'
          ? transportError(family, kind, detail)
          : { status: kind === 'not_found' ? 404 : 405, body: { error: detail } };
      return respond(response, requestId, false);
    }
    const { route } = match;
    if (route.family === 'mock-admin') {
      const response = await handleControl(this, route, request);
      if (request.method !== 'GET') this.#onChange?.();
      return respond(response, requestId, false);
    }
    return this.#handleFamily(route.family, route, request, requestId);
  }

  async #handleFamily(
    family: Family,
    route: Route,
    request: MockRequest,
    requestId: string,
  ): Promise<Outcome> {
    let dropAfterCommit = false;
    for (const fault of this.faults.take(request.method, request.path)) {
      if (fault.kind === 'latency') await sleep(fault.ms ?? 0);
      else if (fault.kind === 'reset') return { kind: 'drop', when: 'before' };
      else if (fault.kind === 'reset-after-commit') dropAfterCommit = true;
      else {
        const status = fault.status ?? 500;
        return respond(
          transportError(family, 'injected', `Injected fault ${fault.id}: HTTP ${status}.`, status),
          requestId,
          false,
        );
      }
    }
    if (this.#latencyMs > 0) await sleep(this.#latencyMs);
    let result: { response: MockResponse; replayed: boolean };
    try {
      result = await this.#run(family, route, request);
    } catch (error) {
      // A bug, not a client error: say so plainly rather than hang up.
      const message = error instanceof Error ? error.message : String(error);
      console.error(`ledgerline-mock: ${request.method} ${request.path} failed:`, error);
      result = {
        response: transportError(
          family,
          'injected',
          `Internal error in the reference server: ${message}`,
          500,
        ),
        replayed: false,
      };
    }
    if (request.method !== 'GET') this.#onChange?.();
    if (dropAfterCommit) return { kind: 'drop', when: 'after-commit' };
    return respond(result.response, requestId, result.replayed);
  }

  async #run(
    family: Family,
    route: Route,
    request: MockRequest,
  ): Promise<{ response: MockResponse; replayed: boolean }> {
    const operationId: OperationId = route.operationId;
    const spec = operations[operationId];
    const bound = this.#world.families[family];
    const fail = (response: MockResponse) => ({ response, replayed: false });
    if (request.bodyTooLarge)
      return fail(
        transportError(
          family,
          'payload_too_large',
          'The request body exceeds 65536 bytes; send a smaller one.',
        ),
      );
    // Only awaited when pending: most families authenticate synchronously (no microtask per request).
    const pendingAuth = bound.authenticate(request, operationId);
    const auth = pendingAuth instanceof Promise ? await pendingAuth : pendingAuth;
    if (!auth.ok) return fail(auth.response);

    let raw: unknown = {};
    let body: Record<string, unknown> = {};
    if (spec.body) {
      const parsed = parseJsonBody(request.bodyText, request.header('content-type'));
      if (!parsed.ok) return fail(transportError(family, parsed.kind, parsed.detail));
      raw = parsed.value;
      const checked = validateBody(operationId, raw);
      if (!checked.ok) return fail(validationError(family, checked.errors));
      body = checked.data;
    }
    const checkedQuery = validateQuery(operationId, request.query);
    if (!checkedQuery.ok) return fail(validationError(family, checkedQuery.errors));

    const key = request.header('idempotency-key') ?? null;
    const input = {
      operationId,
      body,
      query: checkedQuery.data,
      params: route.params,
      request,
      idempotencyKey: key,
    };
    const { scope, run } = auth.principal;
    if (request.method !== 'POST' || key === null) {
      const answer = run(input);
      return { response: answer instanceof Promise ? await answer : answer, replayed: false };
    }

    if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX) {
      return fail(
        validationError(family, {
          'Idempotency-Key': [`must be 1 to ${IDEMPOTENCY_KEY_MAX} characters long`],
        }),
      );
    }
    const store = this.#world.ledger.idempotency;
    const begun = store.begin(scope, key, requestFingerprint(request.method, request.path, raw as JsonValue));
    if (begun.kind === 'replay') return { response: begun.response, replayed: true };
    if (begun.kind === 'mismatch') {
      return fail(
        transportError(
          family,
          'idempotency_reused',
          'This Idempotency-Key was already used with a different request; send a new key for a new request.',
        ),
      );
    }
    if (begun.kind === 'in_flight') {
      return fail(
        transportError(
          family,
          'idempotency_in_flight',
          'A request with this Idempotency-Key is still being processed; retry shortly.',
        ),
      );
    }
    let response: MockResponse;
    try {
      response = await run(input);
    } catch (error) {
      store.release(scope, key);
      throw error;
    }
    // Server errors are not kept: the retry they invite must run the operation again.
    if (response.status >= 500) store.release(scope, key);
    else
      store.complete(scope, key, {
        status: response.status,
        body: (response.body ?? null) as JsonValue,
        ...(response.headers ? { headers: response.headers } : {}),
      });
    return { response, replayed: false };
  }
}

function respond(response: MockResponse, requestId: string, replayed: boolean): Outcome {
  // Built field by field: object spreads of varying shapes are a measurable share of a request.
  let headers: Record<string, string>;
  if (response.headers === undefined) headers = { 'x-request-id': requestId };
  else {
    headers = Object.assign({}, response.headers);
    headers['x-request-id'] = requestId;
  }
  if (replayed) headers['idempotent-replayed'] = 'true';
  const answer: MockResponse =
    response.body === undefined
      ? { status: response.status, headers }
      : { status: response.status, body: response.body, headers };
  return { kind: 'respond', response: answer, replayed };
}
