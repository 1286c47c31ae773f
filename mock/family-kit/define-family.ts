import { type AssetDefinition, isFamily } from '../ledger/assets.js';
import type { Ledger } from '../ledger/ledger.js';
import type {
  AuthInput,
  AuthResult,
  BoundCaller,
  FamilyApi,
  FamilyDefinition,
  FamilyModule,
  RunInput,
} from './family.js';
import { parseState } from './id-table.js';
import type { Maybe, MockResponse } from './types.js';

/** A 5xx invites a retry that must run again; everything below is the answer to replay. */
const BELOW_500 = (status: number): boolean => status < 500;

/**
 * A caller bound to its family: one object per request instead of a closure per step (closures and
 * the spread of the context were a measurable share of a transfer; bench: server). The idempotency
 * scope is only built for the requests that send a key.
 */
class BoundPrincipal<S, P, A extends FamilyApi> implements BoundCaller {
  readonly #definition: FamilyDefinition<S, P, A, never>;
  readonly #input: AuthInput<S>;
  readonly #principal: P;

  constructor(definition: FamilyDefinition<S, P, A, never>, input: AuthInput<S>, principal: P) {
    this.#definition = definition;
    this.#input = input;
    this.#principal = principal;
  }

  get scope(): string | undefined {
    const { idempotency, tag } = this.#definition;
    return idempotency === false ? undefined : `${tag}:${idempotency.scope(this.#principal)}`;
  }

  get anonymous(): boolean {
    const { idempotency } = this.#definition;
    return idempotency !== false && idempotency.anonymous?.(this.#principal) === true;
  }

  run(input: RunInput): Maybe<MockResponse> {
    const handler = this.#definition.operations[input.operationId];
    if (handler === undefined)
      throw new Error(`${input.operationId} has no handler in ${this.#definition.tag}`);
    // Listed field by field: spreading `input` here was a fifth of a transfer's cost (bench: server).
    // The body, query and params were validated against this operation's schema, whose types `A` are.
    return handler({
      operationId: input.operationId,
      body: input.body as A[keyof A]['body'],
      query: input.query as A[keyof A]['query'],
      params: input.params as A[keyof A]['params'],
      request: input.request,
      idempotencyKey: input.idempotencyKey,
      ledger: this.#input.ledger,
      state: this.#input.state,
      principal: this.#principal,
      server: this.#input.server,
    });
  }
}

/**
 * Declares a family (a registry member) and checks its declarations once: every route has a handler
 * and every handler a route. `S`, `P` and `A` are checked where the family is written; the registry
 * holds the result without them (only the state type stays, for typed access).
 */
export function defineFamily<S, P, A extends FamilyApi, Section = unknown>(
  definition: FamilyDefinition<S, P, A, Section>,
): FamilyModule<S> {
  const routes = Object.keys(definition.routes);
  const handlers = Object.keys(definition.operations);
  const unrouted = handlers.filter((id) => !routes.includes(id));
  const unhandled = routes.filter((id) => !handlers.includes(id));
  if (unrouted.length > 0 || unhandled.length > 0)
    throw new Error(
      `family ${definition.tag}: routes without handler [${unhandled.join(', ')}], handlers without route [${unrouted.join(', ')}]`,
    );
  const assets = familyAssets(definition);
  const bind = (auth: AuthResult<P>, input: AuthInput<S>): AuthResult<BoundCaller> => {
    if (!auth.ok) return auth;
    const principal = new BoundPrincipal(definition, input, auth.principal);
    return auth.headers === undefined
      ? { ok: true, principal }
      : { ok: true, principal, headers: auth.headers };
  };
  const replays =
    definition.idempotency === false ? () => false : (definition.idempotency.replays ?? BELOW_500);
  return {
    tag: definition.tag,
    seedKey: definition.seedKey,
    origins: definition.origins,
    prefixes: definition.prefixes,
    routes: definition.routes,
    errors: definition.errors,
    assets,
    control: definition.control === true,
    headers: (definition.headers ?? []).map((name) => name.toLowerCase()),
    // The world hands a family its section of a seed `loadSeed` checked against openapi.yaml's `Seed`
    // schema (mock/seed.ts): a built-in family's `Section` is that schema's type for it.
    seed: (ledger: Ledger, section: unknown) => definition.seed(ledger, section as Section | undefined),
    // Family states are plain JSON by contract (FamilyDefinition): the round trip is the copy, with
    // prototype-less objects so an id-keyed table restored from a file behaves like a seeded one.
    restore: (json: unknown) => parseState(JSON.stringify(json)) as S,
    attach: (ledger: Ledger, state: S) => definition.attach?.(ledger, state) ?? (() => {}),
    authenticate(input) {
      const auth = definition.authenticate(input);
      // Synchronous families stay synchronous: no promise on their hot path.
      return auth instanceof Promise ? auth.then((settled) => bind(settled, input)) : bind(auth, input);
    },
    replays,
    records: (operationId: string) => definition.unrecorded?.includes(operationId) !== true,
  };
}

/** A family's declared assets with its tag; only a family of openapi.yaml can keep ledger accounts. */
function familyAssets<S, P, A extends FamilyApi, Section>(
  definition: FamilyDefinition<S, P, A, Section>,
): AssetDefinition[] {
  const declared = definition.assets ?? [];
  if (declared.length === 0) return [];
  const family = definition.tag;
  if (!isFamily(family))
    throw new Error(
      `family ${family} declares assets, but the ledger keeps accounts of openapi.yaml's families only: declare its tag there (x-ledgerline-family) or keep its figures in its state`,
    );
  return declared.map(({ asset, scale }) => ({ family, asset, scale }));
}
