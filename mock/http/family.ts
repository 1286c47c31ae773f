import type { OperationId } from '../../generated/operations.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Family, MockRequest, MockResponse } from './types.js';

/** Who is calling, or the family's refusal (401/403) in its documented shape. */
export type AuthResult<P> =
  | { readonly ok: true; readonly principal: P }
  | { readonly ok: false; readonly response: MockResponse };

/** Everything an operation handler gets: the caller, the validated input and the books. */
export interface OperationContext<S, P> {
  readonly ledger: Ledger;
  /** The family's own state (users, tokens, settings): plain JSON data, mutated in place. */
  readonly state: S;
  readonly principal: P;
  readonly operationId: OperationId;
  /** The body, validated against openapi.yaml (unknown fields kept). */
  readonly body: Record<string, unknown>;
  /** Query parameters, validated and converted to numbers/booleans per openapi.yaml. */
  readonly query: Record<string, unknown>;
  /** Path parameters. */
  readonly params: Readonly<Record<string, string>>;
  readonly request: MockRequest;
  /** The request's Idempotency-Key, to record on journal entries. */
  readonly idempotencyKey: string | null;
}

export type OperationHandler<S, P> = (
  context: OperationContext<S, P>,
) => MockResponse | Promise<MockResponse>;

/**
 * One family of the reference server. The pipeline (app.ts) routes, parses, authenticates, validates
 * against openapi.yaml and applies idempotency and faults; the family only implements its semantics.
 *
 * `S` must be plain JSON data (no Map, no bigint, no class instances): snapshots store it as it is.
 * Balances live in the ledger, never in `S`.
 */
export interface FamilyDefinition<S, P> {
  readonly family: Family;
  /**
   * Opens the seed's accounts on `ledger` (opening balances posted from the family's `opening` system
   * account) and returns the family's state. Throws `SeedError` naming the offending field.
   */
  seed(ledger: Ledger, seed: unknown): S;
  /** Hooks the family onto the clock (month boundaries) after seeding or a restore; returns a detach. */
  attach?(ledger: Ledger, state: S): () => void;
  /**
   * Identifies the caller of `operationId` from the request's credentials. May answer asynchronously:
   * signed tokens (credit-send JWTs) are verified with WebCrypto, which only has async APIs.
   */
  authenticate(
    ledger: Ledger,
    state: S,
    request: MockRequest,
    operationId: OperationId,
  ): AuthResult<P> | Promise<AuthResult<P>>;
  /** The idempotency scope of a caller: stable for one credential holder (DESIGN.md: per credential). */
  scope(principal: P): string;
  readonly operations: Partial<Record<OperationId, OperationHandler<S, P>>>;
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

/** Checks the type parameters of a family definition once, where it is written. */
export function defineFamily<S, P>(definition: FamilyDefinition<S, P>): FamilyDefinition<S, P> {
  return definition;
}
