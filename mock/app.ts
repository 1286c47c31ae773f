import {
  journalView,
  type MockJournalView,
  type MockStateView,
  stateView,
} from './families/control/views.js';
import { BUILTIN_FAMILIES } from './families/index.js';
import { FaultRegistry } from './faults.js';
import { Clock, type ClockState } from './ledger/clock.js';
import type { JournalQuery } from './ledger/journal-query.js';
import type { LedgerSnapshot } from './ledger/snapshot.js';
import type { FamilyModule } from './pipeline/family.js';
import { type ExchangeObserver, type OperationGate, Pipeline } from './pipeline/pipeline.js';
import { FamilyRegistry } from './pipeline/registry.js';
import type { Maybe, MockRequest, MockResponse, Outcome } from './pipeline/types.js';
import { loadSeed } from './seed.js';
import { World } from './world.js';

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
  /** Called after anything that may have changed the state (the server persists then). */
  readonly onChange?: () => void;
  /**
   * More families to serve beside the built-in ones (defined with `defineFamily`): each brings its
   * routes, credentials, error shapes, state and handlers (docs/architecture.md, "Add a family").
   */
  readonly families?: readonly FamilyModule[];
  /** Called once per request with its outcome (a request journal, a log). */
  readonly onExchange?: ExchangeObserver;
  /** Sees every state-changing operation as it runs: how a durable store records them (mock/store). */
  readonly gate?: OperationGate;
}

/**
 * The reference server without HTTP: a registry of families over one world (ledger, clock, family
 * states), the faults, and the request pipeline (mock/pipeline/pipeline.ts) that routes a
 * {@link MockRequest} to the family that owns it. The MSW handlers and the `node:http` server are thin
 * adapters over {@link handle}.
 */
export class MockApp {
  readonly faults: FaultRegistry;
  readonly adminToken: string | undefined;
  readonly latencyMs: number;
  readonly registry: FamilyRegistry;
  readonly gate: OperationGate | undefined;
  /** Seed sections of the extra families: `loadSeed` leaves them to their families. */
  readonly #extraSections: readonly string[];
  readonly #onChange: (() => void) | undefined;
  readonly #pipeline: Pipeline;
  /** The clock a reset returns to; `undefined`: the system time. */
  readonly #startClock: ClockState | undefined;
  #world: World;

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
    this.#startClock = options.snapshot ? undefined : options.clock?.state();
    this.#world = options.snapshot
      ? World.restore(this.registry, options.snapshot)
      : World.create(
          this.registry,
          loadSeed(options.seed, this.#extraSections),
          options.clock ?? new Clock(),
        );
    this.#pipeline = new Pipeline(this, options.onExchange);
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
   * Replaces the whole state with `seed` (the demo seed when absent): accounts, journal, idempotency
   * keys, faults and the clock. The clock goes back to the system time, or, when the app was given
   * a `clock`, to that clock's mode and time when the app was made: a test that moved it leaks no
   * time into the next (docs/decisions.md, issue 17). No month boundary fires on the way.
   * @throws SeedIssues when the seed is invalid; nothing changes then, the clock included.
   */
  reset(seed?: unknown): void {
    const checked = loadSeed(seed, this.#extraSections);
    const clock = this.#world.ledger.clock;
    const before = clock.state();
    // Moved before seeding: the new books open at the time they will live in.
    clock.restart(this.#startClock);
    let world: World;
    try {
      world = World.create(this.registry, checked, clock);
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
   * Replaces the whole state with a {@link MockApp.snapshot} (a durable store rolling back to what is on
   * disk). Faults are kept: they are test controls, not state.
   * @throws LedgerError `invalid_snapshot`; nothing changes then.
   */
  restore(snapshot: LedgerSnapshot): void {
    const world = World.restore(this.registry, snapshot);
    this.#world.detach();
    this.#world = world;
  }

  /** The 503 of a state change refused because the state cannot be saved, in the shape of the path's family. */
  unavailable(path: string, detail: string): MockResponse {
    return (
      this.registry.router.familyOf(path)?.errors.server('unavailable', 503, detail) ?? {
        status: 503,
        body: { error: detail },
      }
    );
  }

  /** The whole state as JSON, restorable with `new MockApp({ snapshot })`. */
  snapshot(): LedgerSnapshot {
    return this.#world.snapshot();
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
   * way, in the order requests arrive.
   */
  handle(request: MockRequest): Maybe<Outcome> {
    return this.#pipeline.answer(request);
  }
}
