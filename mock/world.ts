import type { OperationId } from '../generated/operations.js';
import { billing } from './families/billing/index.js';
import { creditSend } from './families/credit-send/index.js';
import { reseller } from './families/reseller/index.js';
import { whiteLabel } from './families/white-label/index.js';
import type { AuthResult, FamilyDefinition, OperationContext } from './http/family.js';
import type { Family, MockResponse } from './http/types.js';
import { DEFAULT_ASSETS } from './ledger/assets.js';
import { Clock } from './ledger/clock.js';
import type { JsonObject } from './ledger/json.js';
import { Ledger } from './ledger/ledger.js';
import { type LedgerSnapshot, restoreSnapshot, takeSnapshot } from './ledger/snapshot.js';

const DEFINITIONS = { 'white-label': whiteLabel, reseller, 'credit-send': creditSend, billing } as const;
/** Seed file key of each family (DESIGN.md, "Seed format"). */
export const SEED_KEYS = {
  'white-label': 'whiteLabel',
  reseller: 'reseller',
  'credit-send': 'creditSend',
  billing: 'billing',
} as const;

type Definitions = typeof DEFINITIONS;
/** Each family's own state type. */
export type FamilyStates = {
  [F in Family]: Definitions[F] extends FamilyDefinition<infer S, infer _P> ? S : never;
};

/** The operation-facing side of a family with its state bound: the pipeline needs no type parameters. */
export interface BoundFamily {
  readonly family: Family;
  has(operationId: OperationId): boolean;
  authenticate(
    request: OperationContext<unknown, unknown>['request'],
    operationId: OperationId,
  ): BoundAuth | Promise<BoundAuth>;
}

/** A caller bound to its idempotency scope and to the operation it may run. */
export type BoundAuth = AuthResult<{
  readonly scope: string;
  run(input: BoundInput): MockResponse | Promise<MockResponse>;
}>;

export type BoundInput = Omit<OperationContext<unknown, unknown>, 'ledger' | 'state' | 'principal'>;

/** The reference server's whole state: one ledger (with its clock) and each family's own data. */
export interface World {
  readonly ledger: Ledger;
  readonly states: FamilyStates;
  readonly families: { readonly [F in Family]: BoundFamily };
  /** Unhooks the families from the clock (before the world is replaced). */
  detach(): void;
}

/**
 * A caller bound to its family: one object per request instead of a closure per step (closures and
 * the spread of the context were a measurable share of a transfer; bench: server). The idempotency
 * scope is only built for the requests that send a key.
 */
class BoundPrincipal<S, P> {
  readonly #definition: FamilyDefinition<S, P>;
  readonly #ledger: Ledger;
  readonly #state: S;
  readonly #principal: P;
  readonly #operationId: OperationId;

  constructor(
    definition: FamilyDefinition<S, P>,
    ledger: Ledger,
    state: S,
    principal: P,
    operationId: OperationId,
  ) {
    this.#definition = definition;
    this.#ledger = ledger;
    this.#state = state;
    this.#principal = principal;
    this.#operationId = operationId;
  }

  get scope(): string {
    return `${this.#definition.family}:${this.#definition.scope(this.#principal)}`;
  }

  run(input: BoundInput): MockResponse | Promise<MockResponse> {
    const handler = this.#definition.operations[this.#operationId];
    if (!handler) throw new Error(`${this.#operationId} has no handler in ${this.#definition.family}`);
    // Listed field by field: spreading `input` here was a fifth of a transfer's cost (bench: server).
    return handler({
      operationId: input.operationId,
      body: input.body,
      query: input.query,
      params: input.params,
      request: input.request,
      idempotencyKey: input.idempotencyKey,
      ledger: this.#ledger,
      state: this.#state,
      principal: this.#principal,
    });
  }
}

function bind<S, P>(definition: FamilyDefinition<S, P>, ledger: Ledger, state: S): BoundFamily {
  const bindPrincipal = (auth: AuthResult<P>, operationId: OperationId): BoundAuth =>
    auth.ok
      ? { ok: true, principal: new BoundPrincipal(definition, ledger, state, auth.principal, operationId) }
      : auth;
  return {
    family: definition.family,
    has: (operationId) => definition.operations[operationId] !== undefined,
    authenticate(request, operationId) {
      const auth = definition.authenticate(ledger, state, request, operationId);
      // Synchronous families stay synchronous: no promise on their hot path.
      return auth instanceof Promise
        ? auth.then((settled) => bindPrincipal(settled, operationId))
        : bindPrincipal(auth, operationId);
    },
  };
}

function assemble(ledger: Ledger, states: FamilyStates): World {
  const detachers = [
    DEFINITIONS['white-label'].attach?.(ledger, states['white-label']),
    DEFINITIONS.reseller.attach?.(ledger, states.reseller),
    DEFINITIONS['credit-send'].attach?.(ledger, states['credit-send']),
    DEFINITIONS.billing.attach?.(ledger, states.billing),
  ];
  return {
    ledger,
    states,
    families: {
      'white-label': bind(DEFINITIONS['white-label'], ledger, states['white-label']),
      reseller: bind(DEFINITIONS.reseller, ledger, states.reseller),
      'credit-send': bind(DEFINITIONS['credit-send'], ledger, states['credit-send']),
      billing: bind(DEFINITIONS.billing, ledger, states.billing),
    },
    detach: () => {
      for (const detach of detachers) detach?.();
    },
  };
}

/**
 * Builds a world from a seed (already checked against openapi.yaml's `Seed` schema). Families seed in
 * a fixed order; a `SeedError` from any of them leaves nothing behind, since nothing is shared yet.
 */
export function createWorld(seed: Readonly<Record<string, unknown>>, clock: Clock): World {
  const ledger = new Ledger({ clock });
  const states: FamilyStates = {
    'white-label': DEFINITIONS['white-label'].seed(ledger, seed[SEED_KEYS['white-label']]),
    reseller: DEFINITIONS.reseller.seed(ledger, seed[SEED_KEYS.reseller]),
    'credit-send': DEFINITIONS['credit-send'].seed(ledger, seed[SEED_KEYS['credit-send']]),
    billing: DEFINITIONS.billing.seed(ledger, seed[SEED_KEYS.billing]),
  };
  return assemble(ledger, states);
}

/** The whole state as JSON: the ledger snapshot with the family states as its extensions. */
export function snapshotWorld(world: World): LedgerSnapshot {
  // Family states are plain JSON by contract (FamilyDefinition); the round trip proves it.
  const families = JSON.parse(JSON.stringify(world.states)) as JsonObject;
  return takeSnapshot(world.ledger, { families });
}

/** Rebuilds a world from {@link snapshotWorld}'s output (e.g. a `--state-file`). */
export function restoreWorld(snapshot: LedgerSnapshot): World {
  // Checked whole before anything is served: a damaged file is refused at start, not per request.
  const assets = JSON.stringify(snapshot?.assets);
  if (assets !== JSON.stringify(DEFAULT_ASSETS))
    throw new Error(
      `The state's assets ${assets} are not the families' (${JSON.stringify(DEFAULT_ASSETS)}).`,
    );
  const { ledger, extensions } = restoreSnapshot(snapshot);
  const families = extensions.families;
  if (typeof families !== 'object' || families === null || Array.isArray(families)) {
    throw new Error('The state file has no family states; it was not written by ledgerline-mock.');
  }
  const template = createWorld({}, new Clock({ mode: 'controlled', nowMs: 0 })).states;
  for (const [family, expected] of Object.entries(template)) {
    const problem = shapeProblem(expected, (families as Record<string, unknown>)[family]);
    if (problem !== undefined) throw new Error(`The state of family ${family} is damaged: ${problem}.`);
  }
  // The snapshot's extensions are frozen; family states are mutated in place, so work on a copy.
  return assemble(ledger, JSON.parse(JSON.stringify(families)) as FamilyStates);
}

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** What differs between a family state and a freshly seeded one's shape (its fields and their kinds). */
function shapeProblem(expected: unknown, actual: unknown): string | undefined {
  if (kindOf(actual) !== 'object') return `it is ${kindOf(actual)}, not an object`;
  for (const [field, value] of Object.entries(expected as Record<string, unknown>)) {
    const found = (actual as Record<string, unknown>)[field];
    // A field that starts as null (not configured yet) may hold anything later.
    if (value !== null && kindOf(found) !== kindOf(value))
      return `${field} is ${kindOf(found)}, not ${kindOf(value)}`;
  }
  return undefined;
}
