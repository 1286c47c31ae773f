import { type OperationId, operations } from '../generated/operations.js';
import { familyOfPath, matchRoute, type Route } from '../src/spec/router.js';
import {
  controlError,
  keep,
  notStarted,
  operationError,
  type RunResult,
  refused,
  respond,
  settled,
} from './app-answers.js';
import {
  handleControl,
  journalView,
  type MockJournalView,
  type MockStateView,
  stateView,
} from './control.js';
import { type Fault, FaultRegistry } from './faults.js';
import { transportError, validationError } from './http/family-errors.js';
import { parseJsonBody } from './http/parse-body.js';
import type { Family, MockRequest, MockResponse, Outcome } from './http/types.js';
import { validateBody, validateQuery } from './http/validate.js';
import { Clock, type ClockState } from './ledger/clock.js';
import { requestFingerprint } from './ledger/idempotency.js';
import type { JournalQuery } from './ledger/journal-query.js';
import type { JsonValue } from './ledger/json.js';
import type { LedgerSnapshot } from './ledger/snapshot.js';
import { loadSeed } from './seed.js';
import { type BoundAuth, createWorld, restoreWorld, snapshotWorld, type World } from './world.js';

/** Options of {@link MockApp}. */
export interface MockAppOptions {
  /** A seed object (DESIGN.md "Seed format"); the demo seed when absent. */
  readonly seed?: unknown;
  /** A state written by {@link MockApp.snapshot}; wins over `seed`. */
  readonly snapshot?: LedgerSnapshot;
  /**
   * The clock; default a real one. Tests pass `Clock.controlled(...)`; {@link MockApp.reset} puts it
   * back to its mode and time of now.
   */
  readonly clock?: Clock;
  /** When set, every `/_mock` call needs header `x-mock-admin-token` with this value. */
  readonly adminToken?: string;
  /** Extra latency for every family request, in ms (CLI `--latency`). */
  readonly latencyMs?: number;
  /** Random source for fault probabilities (tests pass a seeded one). */
  readonly random?: () => number;
  /** Called after anything that may have changed the state. */
  readonly onChange?: () => void;
  /** Sees every state-changing operation as it runs: how a durable store records them (mock/store). */
  readonly gate?: OperationGate;
}

/**
 * Wraps every state-changing operation (family POSTs whose operation runs; control calls that change
 * state). `enter` is called just before it runs: `false` refuses it, and the app answers 503 in the
 * family's shape with nothing changed (a store that cannot write fails closed). Otherwise `leave` is
 * called once the operation's synchronous part returned, every state change happening in between;
 * `ran` is `false` when nothing ran after all (an Idempotency-Key replay, 409 or 422).
 */
export interface OperationGate {
  enter(request: MockRequest): boolean;
  leave(request: MockRequest, ran: boolean): void;
}

/** Control operations that are test controls, not state: faults and the request journal stay in memory. */
const UNRECORDED_CONTROL = new Set<OperationId>(['mockAddFault', 'mockClearFaults']);
const UNAVAILABLE =
  'The reference server cannot save its state right now, so it changes nothing; reads still work. Retry later.';

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
  /** The clock a reset returns to; `undefined`: the system time. */
  readonly #startClock: ClockState | undefined;
  readonly #gate: OperationGate | undefined;
  #world: World;
  #requestCount = 0;

  constructor(options: MockAppOptions = {}) {
    this.faults = new FaultRegistry(options.random);
    if (options.adminToken === '')
      throw new RangeError('adminToken must not be empty: it would leave /_mock open; omit it for no token.');
    this.adminToken = options.adminToken;
    this.#latencyMs = options.latencyMs ?? 0;
    this.#onChange = options.onChange;
    this.#startClock = options.snapshot ? undefined : options.clock?.state();
    this.#gate = options.gate;
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
   * keys, faults and the clock. The clock goes back to the system time, or, when the app was given
   * a `clock`, to that clock's mode and time when the app was made: a test that moved it leaks no
   * time into the next (docs/decisions.md, issue 17). No month boundary fires on the way.
   * @throws SeedIssues when the seed is invalid; nothing changes then, the clock included.
   */
  reset(seed?: unknown): void {
    const checked = loadSeed(seed);
    const clock = this.#world.ledger.clock;
    const before = clock.state();
    // Moved before seeding: the new books open at the time they will live in.
    clock.restart(this.#startClock);
    let world: World;
    try {
      world = createWorld(checked, clock);
    } catch (error) {
      clock.restart(before);
      throw error;
    }
    this.#world.detach();
    this.#world = world;
    this.faults.clear();
    this.#onChange?.();
  }

  /**
   * Replaces the whole state with a {@link snapshot} (a durable store rolling back to what is on
   * disk). Faults are kept: they are test controls, not state.
   * @throws LedgerError `invalid_snapshot`; nothing changes then.
   */
  restore(snapshot: LedgerSnapshot): void {
    const world = restoreWorld(snapshot);
    this.#world.detach();
    this.#world = world;
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
    return this.answer(request);
  }

  /**
   * {@link handle} without a promise when nothing on the way is asynchronous (no latency, no async
   * authentication, no control call): the `node:http` adapter then answers in the same tick. A
   * promise and a microtask per step were a measurable share of a request (bench: server).
   * Ledger changes happen during this call either way, in the order requests arrive.
   */
  answer(received: MockRequest): Outcome | Promise<Outcome> {
    // HEAD is GET without the body (the adapter leaves the body out; the headers are the GET's).
    const request = received.method === 'HEAD' ? { ...received, method: 'GET' } : received;
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
      return respond(response, requestId, false, request.path);
    }
    const { route } = match;
    if (route.family === 'mock-admin') return this.#handleControl(route, request, requestId);
    const family = route.family;
    // A record replayed from the log ran once already: this process's faults and latency are not its.
    if (request.fromLog === true) return this.#finish(family, route, request, requestId, false);
    const fired = this.faults.take(request.method, request.path);
    if (fired.length > 0 || this.#latencyMs > 0)
      return this.#handleFaulted(family, route, request, requestId, fired);
    return this.#finish(family, route, request, requestId, false);
  }

  async #handleControl(route: Route, request: MockRequest, requestId: string): Promise<Outcome> {
    const gated = request.method !== 'GET' && !UNRECORDED_CONTROL.has(route.operationId);
    // Checked here, before the gate: a refused caller must never become a record that replays.
    if (this.adminToken !== undefined && request.fromLog !== true) {
      if (request.header('x-mock-admin-token') !== this.adminToken)
        return respond(
          { status: 401, body: { error: 'Send the admin token in header x-mock-admin-token.' } },
          requestId,
          false,
        );
    }
    if (gated && this.#gate !== undefined && !this.#gate.enter(request))
      return respond({ status: 503, body: { error: UNAVAILABLE } }, requestId, false);
    let pending: Promise<MockResponse>;
    try {
      pending = handleControl(this, route, request);
    } catch (error) {
      pending = Promise.reject(error);
    } finally {
      if (gated) this.#gate?.leave(request, true);
    }
    const response = await pending.catch((error: unknown) => controlError(request, error));
    if (request.method !== 'GET') this.#onChange?.();
    return respond(response, requestId, false, request.path);
  }

  async #handleFaulted(
    family: Family,
    route: Route,
    request: MockRequest,
    requestId: string,
    fired: readonly Fault[],
  ): Promise<Outcome> {
    let dropAfterCommit = false;
    for (const fault of fired) {
      if (fault.kind === 'latency') await sleep(fault.ms ?? 0);
      else if (fault.kind === 'reset') return { kind: 'drop', when: 'before' };
      else if (fault.kind === 'reset-after-commit') dropAfterCommit = true;
      else {
        const status = fault.status ?? 500;
        return respond(
          transportError(family, 'injected', `Injected fault ${fault.id}: HTTP ${status}.`, status),
          requestId,
          false,
          request.path,
        );
      }
    }
    if (this.#latencyMs > 0) await sleep(this.#latencyMs);
    return this.#finish(family, route, request, requestId, dropAfterCommit);
  }

  /** Runs the operation; an exception (a bug, not a client error) becomes a 500 rather than a hang-up. */
  #finish(
    family: Family,
    route: Route,
    request: MockRequest,
    requestId: string,
    dropAfterCommit: boolean,
  ): Outcome | Promise<Outcome> {
    let result: RunResult | Promise<RunResult>;
    try {
      result = this.#run(family, route, request);
    } catch (error) {
      result = operationError(family, request, error);
    }
    if (result instanceof Promise) {
      return result.then(
        (settled) => this.#settle(request, requestId, settled, dropAfterCommit),
        (error: unknown) =>
          this.#settle(request, requestId, operationError(family, request, error), dropAfterCommit),
      );
    }
    return this.#settle(request, requestId, result, dropAfterCommit);
  }

  #settle(request: MockRequest, requestId: string, result: RunResult, dropAfterCommit: boolean): Outcome {
    if (request.method !== 'GET') this.#onChange?.();
    if (dropAfterCommit) return { kind: 'drop', when: 'after-commit' };
    return respond(result.response, requestId, result.replayed, request.path);
  }

  #run(family: Family, route: Route, request: MockRequest): RunResult | Promise<RunResult> {
    if (request.bodyTooLarge)
      return refused(
        transportError(
          family,
          'payload_too_large',
          'The request body exceeds 65536 bytes; send a smaller one.',
        ),
      );
    // Only awaited when pending: most families authenticate synchronously (no microtask per request).
    const auth = this.#world.families[family].authenticate(request, route.operationId);
    return auth instanceof Promise
      ? auth.then((settled) => this.#runAuthenticated(family, route, request, settled))
      : this.#runAuthenticated(family, route, request, auth);
  }

  #runAuthenticated(
    family: Family,
    route: Route,
    request: MockRequest,
    auth: BoundAuth,
  ): RunResult | Promise<RunResult> {
    if (!auth.ok) return refused(auth.response);
    const operationId: OperationId = route.operationId;
    let raw: unknown = {};
    let body: Record<string, unknown> = {};
    if (operations[operationId].body) {
      const parsed = parseJsonBody(request.bodyText, request.header('content-type'));
      if (!parsed.ok)
        return refused(
          parsed.kind === 'imprecise_number'
            ? validationError(family, { [parsed.field]: [parsed.fragment] })
            : transportError(family, parsed.kind, parsed.detail),
        );
      raw = parsed.value;
      const checked = validateBody(operationId, raw);
      if (!checked.ok) return refused(validationError(family, checked.errors));
      body = checked.data;
    }
    const checkedQuery = validateQuery(operationId, request.query);
    if (!checkedQuery.ok) return refused(validationError(family, checkedQuery.errors));

    const key = request.header('idempotency-key') ?? null;
    const input = {
      operationId,
      body,
      query: checkedQuery.data,
      params: route.params,
      request,
      idempotencyKey: key,
    };
    const principal = auth.principal;
    if (request.method !== 'POST' || key === null) {
      if (request.method === 'GET') return settled(principal.run(input));
      if (!this.#enter(request)) return refused(transportError(family, 'unavailable', UNAVAILABLE));
      try {
        return settled(principal.run(input));
      } finally {
        this.#gate?.leave(request, true);
      }
    }

    if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX) {
      return refused(
        validationError(family, {
          'Idempotency-Key': [`must be 1 to ${IDEMPOTENCY_KEY_MAX} characters long`],
        }),
      );
    }
    const scope = principal.scope;
    const store = this.#world.ledger.idempotency;
    const fingerprint = requestFingerprint(request.method, request.path, raw as JsonValue);
    // The gate is entered before the key is claimed: claiming it is already a state change.
    if (!this.#enter(request)) return refused(transportError(family, 'unavailable', UNAVAILABLE));
    let answer: MockResponse | Promise<MockResponse>;
    let ran = false;
    try {
      const begun = store.begin(scope, key, fingerprint);
      if (begun.kind !== 'started') return notStarted(family, begun);
      ran = true;
      try {
        answer = principal.run(input);
      } catch (error) {
        store.release(scope, key);
        throw error;
      }
    } finally {
      this.#gate?.leave(request, ran);
    }
    if (answer instanceof Promise) {
      return answer.then(
        (response) => keep(store, scope, key, response),
        (error: unknown) => {
          store.release(scope, key);
          throw error;
        },
      );
    }
    return keep(store, scope, key, answer);
  }

  #enter(request: MockRequest): boolean {
    return this.#gate === undefined || this.#gate.enter(request);
  }
}
