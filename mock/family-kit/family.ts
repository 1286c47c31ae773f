import type { operations as SpecOperations } from '../../generated/openapi.js';
import type { OperationId, OperationSchema } from '../../generated/operations.js';
import type { AssetDefinition, FamilyAsset } from '../ledger/assets.js';
import type { Ledger } from '../ledger/ledger.js';
import type { FaultRegistry } from '../services/faults.js';
import type { InvariantReport } from '../services/invariant-report.js';
import type { RequestHar } from '../services/request-har.js';
import type { RequestPage, RequestQuery } from '../services/request-journal.js';
import type { ErrorShapes } from './errors.js';
import type { Maybe, MockRequest, MockResponse } from './types.js';

/** Who is calling, or the family's refusal (401/403) in its documented shape. */
export type AuthResult<P> =
  | {
      readonly ok: true;
      readonly principal: P;
      /**
       * Headers every answer to this request carries, whatever it turns out to be (billing's
       * `RateLimit-*`); left out by families that add none, which then pay nothing for them.
       */
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly ok: false; readonly response: MockResponse };

/**
 * What the server lends its members besides their own state: the control API resets the world and
 * manages faults through it; families ignore it. Implemented by `MockApp` (mock/app.ts).
 */
export interface ServerControls {
  /** When set, the control API needs header `x-mock-admin-token` with this value. */
  readonly adminToken: string | undefined;
  readonly faults: FaultRegistry;
  /** Replaces the world with a new seed. @throws SeedIssues, SeedError or LedgerError; nothing changes then. */
  reset(seed: unknown): void;
  /** The state a registered family keeps in the current world. */
  stateOf<S>(family: FamilyModule<S>): S;
  /** A page of the request journal (`GET /_mock/requests`). @throws RangeError for a bad cursor or date */
  requests(query?: RequestQuery): RequestPage;
  /** The request journal as a HAR 1.2 document (`GET /_mock/requests/har`). @throws RangeError as {@link requests} */
  requestsHar(query?: RequestQuery): RequestHar;
  /** Empties the request journal (`DELETE /_mock/requests`). */
  clearRequests(): void;
  /** The invariant checks of the current books (`GET /_mock/invariants`). */
  invariants(): InvariantReport;
  /** The live sandboxes; `undefined` inside a sandbox, as sandboxes do not nest. */
  readonly sandboxes: SandboxControls | undefined;
}

/** A live sandbox as the control API answers it. */
export interface SandboxInfo {
  readonly id: string;
  readonly label?: string;
  readonly expiresAt: string;
}

/** A sandbox as its create answers it: with its token, which no other answer shows. */
export interface CreatedSandbox extends SandboxInfo {
  /** The sandbox's own control credential (header `x-mock-admin-token`): reaches only this sandbox. */
  readonly token: string;
}

/** What the control API does with sandboxes (mock/registry/sandboxes.ts holds them). */
export interface SandboxControls {
  /** Who may create a sandbox when the server has an admin token (`--sandbox-creation`). */
  readonly creation: 'admin' | 'open';
  /**
   * A new sandbox seeded with `seed`; `replayed`: a durable store's replay of a create that was
   * answered 201, made whatever the cap. @throws SandboxLimitError at the cap; seed errors as `reset`.
   */
  create(seed: unknown, replayed?: boolean, label?: string): CreatedSandbox;
  /** Every live sandbox, oldest first. */
  list(): readonly SandboxInfo[];
  /** One live sandbox, without marking it as used; `undefined` when unknown, deleted or expired. */
  get(id: string): SandboxInfo | undefined;
  /** Ends a sandbox; false when there was none. */
  delete(id: string): boolean;
  /** Whether `token` is sandbox `id`'s own token (constant-time); false for an unknown sandbox. */
  authorises(id: string, token: string | undefined): boolean;
}

/** The types of one operation's input as its handler sees it. */
export interface OperationTypes {
  readonly body: unknown;
  readonly query: unknown;
  readonly params: unknown;
}

/** The input of an operation that has none (no body, no query, no path parameters). */
export type EmptyInput = Readonly<Record<string, never>>;
/** The JSON body type of a generated `requestBody`, or {@link EmptyInput}. */
export type JsonContent<R> = R extends { content: { 'application/json': infer B } } ? B : EmptyInput;
/** A generated parameter group (`query`, `path`), or {@link EmptyInput} when the operation has none. */
export type Defined<T> = [NonNullable<T>] extends [never] ? EmptyInput : NonNullable<T>;

/**
 * An operation's input types from openapi.yaml (generated/openapi.ts): the body as validated (an
 * absent optional body arrives as `{}`), query parameters converted to numbers and booleans, and the
 * path parameters. A field the spec does not have is a compile error in the handler.
 */
export interface SpecTypes<Id extends OperationId> extends OperationTypes {
  readonly body: JsonContent<NonNullable<SpecOperations[Id]['requestBody']>>;
  readonly query: Defined<SpecOperations[Id]['parameters']['query']>;
  readonly params: Defined<SpecOperations[Id]['parameters']['path']>;
}

/** Operations `Ids` of openapi.yaml with their input types: the `Api` of a built-in family. */
export type SpecApi<Ids extends OperationId> = { readonly [Id in Ids]: SpecTypes<Id> };

/** Untyped input, for handlers not (yet) written against a schema's types. */
export interface LooseTypes extends OperationTypes {
  readonly body: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly params: Readonly<Record<string, string>>;
}

/** Everything an operation handler gets: the caller, the validated input and the books. */
export interface OperationContext<S, P, T extends OperationTypes = LooseTypes> {
  readonly ledger: Ledger;
  /** The family's own state (users, tokens, settings): plain JSON data, mutated in place. */
  readonly state: S;
  readonly principal: P;
  readonly operationId: string;
  /** The body, validated against the operation's schema (unknown fields kept). */
  readonly body: T['body'];
  /** Query parameters, validated and converted to numbers/booleans per the schema. */
  readonly query: T['query'];
  /** Path parameters. */
  readonly params: T['params'];
  readonly request: MockRequest;
  /** The request's Idempotency-Key, to record on journal entries. */
  readonly idempotencyKey: string | null;
  readonly server: ServerControls;
}

/** The context of operation `Id` of openapi.yaml in a family with state `S` and callers `P`. */
export type SpecContext<S, P, Id extends OperationId> = OperationContext<S, P, SpecTypes<Id>>;

/** Runs one operation: the answer, now or later (credit-send signs its JWTs asynchronously). */
export type OperationHandler<S, P, T extends OperationTypes> = (
  context: OperationContext<S, P, T>,
) => Maybe<MockResponse>;

/** A family's operations by operationId with their input types. */
export type FamilyApi = { readonly [operationId: string]: OperationTypes };

/** What authentication sees: the request, the operation it asks for, the family's state. */
export interface AuthInput<S> {
  readonly ledger: Ledger;
  readonly state: S;
  readonly request: MockRequest;
  readonly operationId: string;
  /** The path parameters, decoded, as the handler gets them (`{ sandboxId }`). */
  readonly params: Readonly<Record<string, string>>;
  /** The operation's entry in openapi.yaml (its `security` lists the credentials it accepts). */
  readonly schema: OperationSchema;
  readonly server: ServerControls;
}

/**
 * One member of the registry: a family of the reference server, declared whole in its folder. The
 * pipeline (mock/steps/pipeline.ts) routes, parses, authenticates, validates against the route's
 * schema and applies idempotency and faults; the family only implements its semantics.
 *
 * `S` must be plain JSON data (no Map, no bigint, no class instances): snapshots store it as it is.
 * Balances live in the ledger, never in `S`. `Section` is the type of the family's seed section: a
 * built-in family's is its part of openapi.yaml's `Seed` schema (`SeedSection` in mock/seed-types.ts),
 * which `loadSeed` checked; an extra family's sections are not in that schema, so it reads `unknown`.
 */
export interface FamilyDefinition<S, P, Api extends FamilyApi, Section = unknown> {
  /** The family's tag (openapi.yaml tag, journal entries, `err.family`). */
  readonly tag: string;
  /** The seed file's section for this family (`whiteLabel`); absent for members without a seed. */
  readonly seedKey?: string;
  /** Documented public origins: MSW intercepts them besides the reference origin. */
  readonly origins: readonly string[];
  /**
   * Path prefixes the family owns (`/api/v1/billing`): an unknown path under one is answered in the
   * family's error shape. Matched at a segment boundary anywhere in the path (behind a proxy prefix).
   */
  readonly prefixes: readonly string[];
  /** The operations' routes and schemas, by operationId: every one needs a handler. */
  readonly routes: Readonly<Record<string, OperationSchema>>;
  readonly errors: ErrorShapes;
  /**
   * The assets the family's accounts hold (`usd` at 6 decimals...), in a stable order: a snapshot
   * records them, and a state file is only restored by a server whose families declare the same.
   * Only the families of openapi.yaml (the ledger's `Family`) keep accounts; others declare none.
   */
  readonly assets?: readonly FamilyAsset[];
  /**
   * Opens the seed's accounts on `ledger` (opening balances posted from the family's `opening` system
   * account) and returns the family's state. Throws `SeedError` naming the offending field.
   */
  seed(ledger: Ledger, section: Section | undefined): S;
  /** Hooks the family onto the clock (month boundaries) after seeding or a restore; returns a detach. */
  attach?(ledger: Ledger, state: S): () => void;
  /**
   * Identifies the caller of an operation from the request's credentials. May answer asynchronously:
   * signed tokens (credit-send JWTs) are verified with WebCrypto, which only has async APIs.
   */
  authenticate(input: AuthInput<S>): Maybe<AuthResult<P>>;
  /**
   * Idempotency: the scope of a caller's keys, stable for one credential holder (docs/decisions.md, "All families": per
   * credential), and which answers are kept for replay (default: every answer below 500; a 5xx
   * invites a retry that must run again). `false`: the member takes no Idempotency-Key.
   */
  readonly idempotency: false | IdempotencyRule<P>;
  /** Control members skip faults and the configured latency (they are how tests set those up). */
  readonly control?: boolean;
  /**
   * Request headers the family reads besides `authorization`, `token`, `idempotency-key` and
   * `content-type` (a credential header of its own, such as `x-api-key`): a durable store records
   * them with each state-changing request, so its replay is authorised and runs as it did live.
   * Never the admin token, which is not recorded.
   */
  readonly headers?: readonly string[];
  /**
   * Non-GET operations that change no state worth keeping (test controls such as faults): a durable
   * store does not record them (mock/store). Every other non-GET operation is recorded.
   */
  readonly unrecorded?: readonly string[];
  readonly operations: { readonly [Id in keyof Api]: OperationHandler<S, P, Api[Id]> };
}

/** How a family takes Idempotency-Keys (see {@link FamilyDefinition.idempotency}). */
export interface IdempotencyRule<P> {
  /** The scope of a caller's keys: one credential holder. */
  scope(principal: P): string;
  /** Whether an answer with this status is kept for replay; default every answer below 500. */
  replays?(status: number): boolean;
  /**
   * Whether the caller holds no credential yet (credit-send's login names its user in the body):
   * its keys go to a pool of their own, bounded apart from the credentials' keys, and only an
   * answer below 400 keeps one (a refused login changes nothing and keeps no key). Default: never.
   */
  anonymous?(principal: P): boolean;
}

/** A caller bound to its family and operation: what the pipeline runs. */
export interface BoundCaller {
  /** The idempotency scope, family tag included; `undefined` when the member takes no keys. */
  readonly scope: string | undefined;
  /** @see IdempotencyRule.anonymous */
  readonly anonymous: boolean;
  /** Runs the operation's handler with the caller, the family's state and the validated input. */
  run(input: RunInput): Maybe<MockResponse>;
}

/** The validated input the pipeline hands a bound caller. */
export interface RunInput {
  readonly operationId: string;
  readonly body: unknown;
  readonly query: unknown;
  readonly params: Readonly<Record<string, string>>;
  readonly request: MockRequest;
  readonly idempotencyKey: string | null;
}

/** A family as the registry holds it: its declarations, with the state type kept for typed access. */
export interface FamilyModule<S = unknown> {
  readonly tag: string;
  readonly seedKey: string | undefined;
  readonly origins: readonly string[];
  readonly prefixes: readonly string[];
  readonly routes: Readonly<Record<string, OperationSchema>>;
  readonly errors: ErrorShapes;
  /** @see FamilyDefinition.assets, with the family's tag. */
  readonly assets: readonly AssetDefinition[];
  readonly control: boolean;
  /** @see FamilyDefinition.headers, lower-cased (none when the family declares none). */
  readonly headers: readonly string[];
  /** @see FamilyDefinition.seed */
  seed(ledger: Ledger, section: unknown): S;
  /** A state from a snapshot's plain JSON (a deep copy: snapshots are frozen, states are mutated). */
  restore(json: unknown): S;
  /** @see FamilyDefinition.attach; a no-op detach for families without clock hooks. */
  attach(ledger: Ledger, state: S): () => void;
  /** Authenticates a request for `operationId` and binds the caller to the operation's handler. */
  authenticate(input: AuthInput<S>): Maybe<AuthResult<BoundCaller>>;
  /** Whether an answer with this status is kept for replay under its Idempotency-Key. */
  replays(status: number): boolean;
  /** Whether a non-GET call of `operationId` changes state a durable store must record. */
  records(operationId: string): boolean;
}

/** A seed file problem: `path` names the field (`whiteLabel.platforms[0].users[1].email`). */
export class SeedError extends Error {
  override readonly name = 'SeedError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}
