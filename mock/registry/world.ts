import type { FamilyModule } from '../family-kit/family.js';
import { Clock } from '../ledger/clock.js';
import { LedgerError } from '../ledger/errors.js';
import type { IdempotencyOptions } from '../ledger/idempotency.js';
import type { JsonObject, JsonValue } from '../ledger/json.js';
import { Ledger } from '../ledger/ledger.js';
import { type LedgerSnapshot, restoreSnapshot, takeSnapshot } from '../ledger/snapshot.js';
import type { FamilyRegistry } from './registry.js';
import { WriteCounter } from './write-counter.js';

/**
 * The reference server's whole state: one ledger (with its clock) and each registered family's own
 * data. Nothing in it is global: a server may hold several worlds (sandboxes), each its own.
 */
export class World {
  readonly ledger: Ledger;
  readonly registry: FamilyRegistry;
  /** The family states as handed out: behind a {@link WriteCounter} when the world is tracked. */
  readonly #states: Map<FamilyModule, unknown>;
  /** The family states themselves, which a snapshot serialises. */
  readonly #raw: Map<FamilyModule, unknown>;
  readonly #writes: WriteCounter | undefined;
  readonly #detachers: (() => void)[];

  private constructor(
    ledger: Ledger,
    registry: FamilyRegistry,
    states: Map<FamilyModule, unknown>,
    tracked: boolean,
  ) {
    this.ledger = ledger;
    this.registry = registry;
    this.#raw = states;
    const writes = tracked ? new WriteCounter() : undefined;
    this.#writes = writes;
    this.#states = writes
      ? new Map([...states].map(([family, state]) => [family, writes.track(state)]))
      : states;
    // Clock hooks get the handed-out state too: what a month boundary writes is counted.
    this.#detachers = registry.families.map((family) => family.attach(ledger, this.#states.get(family)));
  }

  /**
   * A count that moves whenever the world's state changes (the ledger's accounts, journal and stored
   * Idempotency-Key answers, and, in a tracked world, any family state), and only then is worth a
   * look: equal before and after an operation, the operation changed nothing. Always 0 for the
   * family states of an untracked world.
   */
  get version(): number {
    return this.ledger.writes + (this.#writes?.count ?? 0);
  }

  /**
   * Builds a world from a seed (already checked against openapi.yaml's `Seed` schema). Families seed in
   * registry order; a `SeedError` from any of them leaves nothing behind, since nothing is shared yet.
   */
  static create(
    registry: FamilyRegistry,
    seed: Readonly<Record<string, unknown>>,
    clock: Clock,
    idempotency?: IdempotencyOptions,
    tracked = false,
  ): World {
    const ledger = new Ledger({ clock, assets: registry.assets, ...(idempotency ? { idempotency } : {}) });
    const states = new Map<FamilyModule, unknown>();
    for (const family of registry.families) {
      states.set(
        family,
        family.seed(ledger, family.seedKey === undefined ? undefined : seed[family.seedKey]),
      );
    }
    return new World(ledger, registry, states, tracked);
  }

  /**
   * Rebuilds a world from {@link World.snapshot}'s output (e.g. a `--state-file`).
   * @throws LedgerError `invalid_snapshot` naming what is missing or damaged (the assets differ, a
   *   section or a family's state is missing or not shaped like one); nothing is built then.
   */
  static restore(
    registry: FamilyRegistry,
    snapshot: LedgerSnapshot,
    idempotency?: IdempotencyOptions,
    tracked = false,
  ): World {
    // Checked whole before anything is served: a damaged file is refused at start, not per request.
    const assets = JSON.stringify(snapshot?.assets);
    const declared = JSON.stringify(registry.assets);
    if (assets !== declared)
      throw new LedgerError(
        'invalid_snapshot',
        `The state's assets ${assets} are not the families' (${declared}): restore a snapshot these families wrote.`,
      );
    const { ledger, extensions } = restoreSnapshot(snapshot, idempotency ? { idempotency } : {});
    const saved = extensions.families;
    if (!isJsonObject(saved)) {
      throw new LedgerError(
        'invalid_snapshot',
        'The state has no family states (extensions.families); it was not written by ledgerline-mock.',
      );
    }
    const scratch = new Ledger({
      clock: new Clock({ mode: 'controlled', nowMs: 0 }),
      assets: registry.assets,
    });
    const states = new Map<FamilyModule, unknown>();
    for (const family of registry.families) {
      if (family.seedKey === undefined) {
        states.set(family, family.seed(ledger, undefined));
        continue;
      }
      const fresh = family.seed(scratch, undefined);
      const stored = saved[family.tag];
      // A field a later version added is missing from an older state: it starts as a fresh state's.
      const json = isJsonObject(stored) && isRecord(fresh) ? { ...fresh, ...stored } : stored;
      const problem = shapeProblem(fresh, json);
      if (problem !== undefined)
        throw new LedgerError(
          'invalid_snapshot',
          `The state of family ${family.tag} is damaged: ${problem}.`,
        );
      states.set(family, family.restore(json));
    }
    return new World(ledger, registry, states, tracked);
  }

  /** The state `family` keeps in this world. @throws Error when the family is not registered. */
  stateOf<S>(family: FamilyModule<S>): S {
    if (!this.#states.has(family)) throw new Error(`family ${family.tag} is not registered in this world`);
    return this.#states.get(family) as S;
  }

  /**
   * The whole state as JSON: the ledger snapshot with the seeded families' states as extensions, and
   * `extensions` the owner keeps beside them (the app's faults).
   */
  snapshot(extensions: JsonObject = {}): LedgerSnapshot {
    const families: Record<string, JsonValue> = {};
    for (const family of this.registry.families) {
      // Family states are plain JSON by contract (FamilyDefinition); the round trip proves it.
      if (family.seedKey !== undefined)
        families[family.tag] = JSON.parse(JSON.stringify(this.#raw.get(family) ?? null));
    }
    return takeSnapshot(this.ledger, { ...extensions, families });
  }

  /** Unhooks the families from the clock (before the world is replaced). */
  detach(): void {
    for (const detach of this.#detachers) detach();
  }
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** What differs between a family state and a freshly seeded one's shape (its fields and their kinds). */
function shapeProblem(expected: unknown, actual: unknown): string | undefined {
  if (kindOf(actual) !== 'object') return `it is ${kindOf(actual)}, not an object`;
  if (!isRecord(expected) || !isRecord(actual)) return undefined;
  for (const [field, value] of Object.entries(expected)) {
    // A field that starts as null (not configured yet) may hold anything later.
    if (value !== null && kindOf(actual[field]) !== kindOf(value))
      return `${field} is ${kindOf(actual[field])}, not ${kindOf(value)}`;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
