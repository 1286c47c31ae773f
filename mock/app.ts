import type { MockAppOptions } from './app-options.js';
import {
  journalView,
  type MockJournalView,
  type MockStateView,
  stateView,
} from './families/control/views.js';
import { BUILTIN_FAMILIES } from './families/index.js';
import type { FamilyModule, SandboxControls } from './family-kit/family.js';
import { withHeaders } from './family-kit/respond.js';
import {
  andThen,
  delivered,
  type Maybe,
  type MockRequest,
  type MockResponse,
  type Outcome,
} from './family-kit/types.js';
import { Clock, type ClockState } from './ledger/clock.js';
import { LedgerError } from './ledger/errors.js';
import type { JournalQuery } from './ledger/journal-query.js';
import type { LedgerSnapshot } from './ledger/snapshot.js';
import { FamilyRegistry } from './registry/registry.js';
import {
  noSandbox,
  type SandboxAccess,
  SandboxRegistry,
  sandboxAccessOf,
  sandboxControls,
  sandboxPath,
} from './registry/sandboxes.js';
import { World } from './registry/world.js';
import { chosenSeed, loadSeed, savedSeed, startSeedOf } from './seed.js';
import { FaultRegistry, type FaultsSnapshot } from './services/faults.js';
import { type InvariantReport, invariantReport, KeyedCommitLog } from './services/invariant-report.js';
import { type RequestHar, requestHar } from './services/request-har.js';
import { RequestJournal, type RequestPage, type RequestQuery } from './services/request-journal.js';
import { type Exchange, type ExchangeObserver, type OperationGate, Pipeline } from './steps/pipeline.js';
import { answeredExchange, journalObserver } from './steps/record-request.js';
import { RequestContext } from './steps/request-context.js';

export type { MockAppOptions };

/**
 * The reference server without HTTP: a registry of families over one world (ledger, clock, family
 * states), the faults, and the request pipeline (mock/steps/pipeline.ts) that routes a
 * {@link MockRequest} to the family that owns it. The MSW handlers and the `node:http` server are thin
 * adapters over {@link handle}.
 */
export class MockApp {
  readonly faults: FaultRegistry;
  readonly adminToken: string | undefined;
  readonly latencyMs: number;
  readonly registry: FamilyRegistry;
  readonly gate: OperationGate | undefined;
  /** Every request to a family path, the newest kept (`GET /_mock/requests`). */
  readonly requestJournal: RequestJournal;
  /** The sandboxes of `POST /_mock/sandboxes`, each a whole app; `undefined` inside a sandbox. */
  readonly sandboxRegistry: SandboxRegistry<MockApp> | undefined;
  readonly sandboxes: SandboxControls | undefined;
  readonly #options: MockAppOptions;
  readonly #tracked: boolean;
  /** Which journal entries each Idempotency-Key committed, for the invariant checks; per world. */
  #keyedCommits = new KeyedCommitLog();
  /** The request journal's observer, also told of answers given around the pipeline ({@link journalAnswer}). */
  readonly #record: ExchangeObserver;
  /** Seed sections of the extra families: `loadSeed` leaves them to their families. */
  readonly #extraSections: readonly string[];
  readonly #onChange: (() => void) | undefined;
  readonly #pipeline: Pipeline;
  /** The clock a reset returns to; `undefined`: the system time. */
  readonly #startClock: ClockState | undefined;
  /** The checked seed the app started with: what a reset without a seed, and a new sandbox, start from. */
  #startSeed: Readonly<Record<string, unknown>>;
  #world: World;
  /** Sandboxes the last {@link restoreSandboxes} ended, kept for a replayed create of the same id ({@link #renewed}). */
  #retired = new Map<string, MockApp>();

  constructor(options: MockAppOptions = {}) {
    this.faults = new FaultRegistry(options.random);
    if (options.adminToken === '')
      throw new RangeError('adminToken must not be empty: it would leave /_mock open; omit it for no token.');
    this.adminToken = options.adminToken;
    this.latencyMs = options.latencyMs ?? 0;
    this.#onChange = options.onChange;
    this.registry = new FamilyRegistry([...BUILTIN_FAMILIES, ...(options.families ?? [])]);
    this.#extraSections = (options.families ?? []).flatMap((family) => family.seedKey ?? []);
    this.gate = options.gate;
    // Under a durable store every write to a family state is counted: the store records only the
    // operations that changed something (World.version).
    this.#tracked = options.gate !== undefined;
    this.#startClock = options.snapshot ? undefined : options.clock?.state();
    this.#startSeed = loadSeed(options.seed, this.#extraSections);
    this.#world = options.snapshot
      ? World.restore(this.registry, options.snapshot, options.idempotency, this.#tracked)
      : World.create(
          this.registry,
          this.#startSeed,
          options.clock ?? new Clock(),
          options.idempotency,
          this.#tracked,
        );
    // After the world: World.restore names what is wrong with a snapshot that is no state at all.
    if (options.snapshot) this.faults.restore(options.snapshot.extensions.faults);
    this.#startSeed = startSeedOf(options.snapshot, this.#extraSections) ?? this.#startSeed;
    this.#options = options;
    const maxBytes = options.requestJournalBytes;
    this.requestJournal = new RequestJournal(options.requestJournalSize, { maxBytes });
    this.sandboxRegistry = options.sandboxes === false ? undefined : new SandboxRegistry(options.sandboxes);
    this.sandboxes =
      this.sandboxRegistry &&
      sandboxControls(this.sandboxRegistry, (choice, id) => {
        const seed = chosenSeed(this.#startSeed, choice);
        return this.#renewed(id, seed) ?? this.#spawn({ seed });
      });
    this.#keyedCommits = KeyedCommitLog.of(this.#world.ledger);
    const record = journalObserver(
      this.requestJournal,
      (path) => this.registry.router.familyOf(path),
      options.gate !== undefined,
    );
    this.#record = record;
    const observe = options.onExchange;
    this.#pipeline = new Pipeline(
      this,
      observe === undefined
        ? record
        : (exchange: Exchange) => {
            record(exchange);
            observe(exchange);
          },
    );
  }

  /** The current ledger, clock and family states. Replaced by {@link reset}. */
  get world(): World {
    return this.#world;
  }

  /** The state a registered family keeps in the current world (`app.stateOf(billing).payments`). */
  stateOf<S>(family: FamilyModule<S>): S {
    return this.#world.stateOf(family);
  }

  /**
   * Replaces the whole state with a seed: the one the app started with when `seed` is absent, the
   * demo seed for `'demo'`, else `seed` (docs/decisions.md, "Reset and sandbox seeds"). Accounts,
   * journal, idempotency keys, faults and the clock: the clock goes back to the system time, or, when
   * the app was given a `clock`, to that clock's mode and time when the app was made: a test that
   * moved it leaks no time into the next (docs/decisions.md, "A newcomer's first hour"). No month boundary fires.
   * @throws SeedIssues when the seed is invalid; nothing changes then, the clock included.
   */
  reset(seed?: unknown): void {
    const checked = loadSeed(chosenSeed(this.#startSeed, seed), this.#extraSections);
    const clock = this.#world.ledger.clock;
    const before = clock.state();
    // Moved before seeding: the new books open at the time they will live in.
    clock.restart(this.#startClock);
    let world: World;
    try {
      world = World.create(this.registry, checked, clock, this.#options.idempotency, this.#tracked);
    } catch (error) {
      clock.restart(before);
      throw error;
    }
    this.#world.detach();
    this.#world = world;
    this.faults.clear();
    this.requestJournal.clear();
    this.#keyedCommits = KeyedCommitLog.of(this.#world.ledger);
    this.#onChange?.();
  }

  /**
   * Replaces the whole state with a {@link MockApp.snapshot} (a durable store rolling back to what is on
   * disk, a replica catching up from a snapshot), faults included: they are state (docs/decisions.md, "Faults are state").
   * @throws LedgerError `invalid_snapshot` naming what is missing or damaged; nothing changes then.
   */
  restore(snapshot: LedgerSnapshot): void {
    this.prepareRestore(snapshot)();
  }

  /**
   * {@link restore} in two steps: checks and builds everything now, and returns the swap, which
   * cannot fail; so several apps (a durable store's worlds) are restored all or none.
   * @throws LedgerError `invalid_snapshot` naming what is missing or damaged; nothing changes then.
   */
  prepareRestore(snapshot: LedgerSnapshot): () => void {
    const world = World.restore(this.registry, snapshot, this.#options.idempotency, this.#tracked);
    // Checked on a scratch registry: restoring this app's faults is then sure to succeed.
    new FaultRegistry().restore(snapshot.extensions.faults);
    const startSeed = startSeedOf(snapshot, this.#extraSections) ?? this.#startSeed;
    return () => {
      this.#startSeed = startSeed;
      this.faults.restore(snapshot.extensions.faults);
      this.#world.detach();
      this.#world = world;
      this.#keyedCommits = KeyedCommitLog.of(this.#world.ledger);
    };
  }

  /** `GET /_mock/requests`: newest first; `evicted` > 0 means older ones left the ring. @throws RangeError */
  requests(query: RequestQuery = {}): RequestPage {
    return this.requestJournal.query(query);
  }

  /** `GET /_mock/requests/har`: the journal (same filters, 1000 by default) as HAR 1.2, oldest first. @throws RangeError */
  requestsHar(query: RequestQuery = {}): RequestHar {
    return requestHar(this.requestJournal, query);
  }

  /** The operations this app's families route, the control API's left out: what its request journal can list. */
  readonly operationIds = (): string[] => this.registry.familyOperationIds();

  /** `DELETE /_mock/requests`. */
  clearRequests(): void {
    this.requestJournal.clear();
  }

  /** `GET /_mock/invariants`; in a test: `afterEach(() => expect(mock.app.invariants().ok).toBe(true))`. */
  invariants(): InvariantReport {
    return invariantReport(this.#world.ledger, this.#keyedCommits.commits);
  }

  /**
   * A sandbox's app: this one's options with its own state, clock and journal. Under a durable store
   * its gate is this app's, handed the request's context as this app received it (under the sandbox's base URL),
   * so the store records it in the sandbox's world (docs/decisions.md, "Sandboxes are worlds of the durable store").
   * @throws SeedIssues
   */
  #spawn(state: { seed: unknown } | { snapshot: LedgerSnapshot }): MockApp {
    const { snapshot: _s, clock: _c, seed: _seed, gate: _g, onChange: _o, ...shared } = this.#options;
    const parent = this.gate;
    const gate: OperationGate | undefined = parent && {
      enter: (context) => parent.enter(context.received),
      leave: (context, ran) => parent.leave(context.received, ran),
      fire: (context, faultIds) => parent.fire(context.received, faultIds),
    };
    return new MockApp({ ...shared, ...state, ...(gate ? { gate } : {}), sandboxes: false });
  }

  /**
   * Replaces the sandboxes with the worlds of a durable store's snapshot, in their order: a sandbox
   * that stays is restored in place (its request journal and idle time are kept; its faults are the
   * snapshot's, since faults are state), a new one is
   * built from its snapshot, one not in `worlds` ends. All or none: every sandbox is checked and built
   * before any changes. @throws LedgerError `invalid_snapshot` naming the sandbox; nothing changes then.
   */
  restoreSandboxes(worlds: Readonly<Record<string, LedgerSnapshot>>): void {
    this.prepareSandboxes(worlds)();
  }

  /** {@link restoreSandboxes} in two steps, as {@link prepareRestore}. @throws LedgerError `invalid_snapshot` */
  prepareSandboxes(worlds: Readonly<Record<string, LedgerSnapshot>>): () => void {
    const registry = this.sandboxRegistry;
    if (registry === undefined) return () => undefined;
    const live = new Map(registry.list().map((entry) => [entry.id, entry.value]));
    const swaps: (() => void)[] = [];
    const next = Object.entries(worlds).map(([id, snapshot]): [string, MockApp, SandboxAccess] => {
      try {
        // The state first: it names what is wrong with a snapshot that is no state at all.
        const known = live.get(id) ?? this.#retired.get(id);
        const app = known ?? this.#spawn({ snapshot });
        if (known !== undefined) swaps.push(known.prepareRestore(snapshot));
        return [id, app, sandboxAccessOf(snapshot)];
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new LedgerError(
          'invalid_snapshot',
          `The snapshot of sandbox ${id} cannot be restored: ${reason}`,
        );
      }
    });
    return () => {
      for (const swap of swaps) swap();
      registry.replace(next);
      this.#retired = new Map([...live].filter(([id]) => !Object.hasOwn(worlds, id)));
    };
  }

  /**
   * A sandbox the last restore ended, made again from `seed` by a replayed create (a durable store's
   * rollback replays the creates since its snapshot): the same app, so its request journal stays.
   */
  #renewed(id: string, seed: unknown): MockApp | undefined {
    const app = this.#retired.get(id);
    if (app === undefined) return undefined;
    app.#reseed(seed);
    this.#retired.delete(id);
    return app;
  }

  /** This sandbox's state made anew from `seed`, as a new sandbox's (real clock, no faults); the journal stays. @throws SeedIssues */
  #reseed(seed: unknown): void {
    const checked = loadSeed(seed, this.#extraSections);
    const world = World.create(this.registry, checked, new Clock(), this.#options.idempotency, this.#tracked);
    this.#startSeed = checked;
    this.#world.detach();
    this.#world = world;
    this.faults.restore(undefined);
    this.#keyedCommits = KeyedCommitLog.of(this.#world.ledger);
  }

  /** The whole state as JSON, faults included, restorable with `new MockApp({ snapshot })`. */
  snapshot(): LedgerSnapshot {
    const faults: FaultsSnapshot = this.faults.snapshot();
    return this.#world.snapshot({
      faults: JSON.parse(JSON.stringify(faults)),
      startSeed: savedSeed(this.#startSeed),
    });
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

  /** Marks the state as changed (for changes made outside {@link handle}). */
  changed(): void {
    this.#onChange?.();
  }

  /**
   * Answers one request. Never throws: an unexpected error becomes a 500 in the family's shape. The
   * answer is not a promise when nothing on the way waits (no latency, no async credential check): the
   * `node:http` adapter then answers in the same tick. Ledger changes happen during this call either
   * way, in the order requests arrive; latency delays only the answer, after the operation ran.
   */
  handle(received: MockRequest | RequestContext): Maybe<Outcome> {
    return andThen(this.handleNow(received), delivered);
  }

  /**
   * {@link handle} without waiting out the latency: the outcome's `delayMs` is the caller's to wait
   * (`delivered`). A durable store answers this way inside its commit section and waits after the
   * commit, so latency never holds the section (or PostgreSQL's log lock).
   */
  handleNow(received: MockRequest | RequestContext): Maybe<Outcome> {
    // Built here for a caller that hands a bare request; an adapter hands the context it built.
    const context = RequestContext.of(received);
    const { request } = context;
    // `/_mock/sandboxes/{id}/...` is answered by that sandbox's own app, on the path under its base URL.
    const inner = this.sandboxRegistry && sandboxPath(request.path);
    if (inner) {
      const sandbox = this.sandboxRegistry?.use(inner.id);
      if (sandbox === undefined)
        return noSandbox(inner.id, inner.path, (path, detail) =>
          this.registry.router.familyOf(path)?.errors.transport('not_found', detail),
        );
      return sandbox.handleNow(context.forward(inner.path, this.#holdsToken(request, inner.id)));
    }
    // A request answered again (a durable store's rollback) keeps its first arrival.
    if (this.requestJournal.enabled) context.arrive(this.#world.ledger.clock);
    return this.#pipeline.answer(context);
  }

  /**
   * Journals the request of `context` (as this app received it) as answered `response` by the layer around the app,
   * not the pipeline: a durable store's 503. Its record, if the pipeline made one
   * before the commit failed, now shows that answer; otherwise one is added, in the sandbox's
   * journal for a request under a sandbox.
   * @returns `response` with a new `x-request-id` of the world it was sent to, the journal's id for it.
   */
  journalAnswer(context: RequestContext, response: MockResponse): MockResponse {
    const { request } = context;
    const inner = this.sandboxRegistry && sandboxPath(request.path);
    const sandbox = inner && this.sandboxRegistry?.use(inner.id);
    if (inner && sandbox)
      return sandbox.journalAnswer(
        context.forward(inner.path, this.#holdsToken(request, inner.id)),
        response,
      );
    const requestId = this.#pipeline.nextRequestId();
    const sent = withHeaders(response, { 'x-request-id': requestId });
    if (inner || !this.requestJournal.enabled) return sent;
    context.arrive(this.#world.ledger.clock);
    const match = this.registry.router.match(request.method, request.path);
    const route = match.kind === 'found' ? match.route : undefined;
    this.#record(answeredExchange(requestId, context, route, sent));
    return sent;
  }
  /** Whether `request` carries sandbox `id`'s own token (only this app knows the sandboxes' tokens). */
  #holdsToken(request: MockRequest, id: string): boolean {
    return this.sandboxRegistry?.authorises(id, request.header('x-mock-admin-token')) === true;
  }
}
