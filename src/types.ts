import type { operations } from '../generated/openapi.js';
import type { FamilyKey } from './core/family.js';
import type { CallOptions } from './core/fetch-with-retry.js';
import type { Operations } from './operations.js';

/**
 * Per-call options, the optional last argument of every method.
 * @interface
 */
export type RequestOptions = CallOptions;

type OperationId = keyof operations;
type JsonOf<T> = T extends { content: { 'application/json': infer J } } ? J : never;

/** The JSON request body of an operation (`never` when it takes none). */
export type RequestBody<Id extends OperationId> = operations[Id] extends { requestBody: infer B }
  ? JsonOf<B>
  : never;

/** The query parameters of an operation (`never` when it takes none). */
export type QueryOf<Id extends OperationId> = operations[Id]['parameters'] extends { query?: infer Q }
  ? NonNullable<Q>
  : never;

type SuccessBody<Id extends OperationId> = {
  [S in keyof operations[Id]['responses']]: S extends 200 | 201
    ? JsonOf<operations[Id]['responses'][S]>
    : never;
}[keyof operations[Id]['responses']];

/** What a method resolves to: the success body, with billing's `{success, data}` envelope unwrapped. */
export type Result<Id extends OperationId> =
  SuccessBody<Id> extends { success: true; data: infer D } ? D : SuccessBody<Id>;

/** The items of a list result, when it has pages. */
export type ItemOf<R> = R extends { items: (infer I)[] }
  ? I
  : R extends { data: { logs: (infer I)[] } }
    ? I
    : never;

/** A page that also iterates, with `for await`, over every item of every page. */
export type PagePromise<R> = Promise<R> & AsyncIterable<ItemOf<R>>;

type Returned<Id extends OperationId> = [ItemOf<Result<Id>>] extends [never]
  ? Promise<Result<Id>>
  : PagePromise<Result<Id>>;

/** One SDK method: the body (or query) first when the operation takes one, per-call options last. */
export type Method<Id extends OperationId> = [RequestBody<Id>] extends [never]
  ? [QueryOf<Id>] extends [never]
    ? (options?: RequestOptions) => Returned<Id>
    : (query?: QueryOf<Id>, options?: RequestOptions) => Returned<Id>
  : undefined extends RequestBody<Id>
    ? (body?: RequestBody<Id>, options?: RequestOptions) => Returned<Id>
    : (body: RequestBody<Id>, options?: RequestOptions) => Returned<Id>;

/**
 * The operationId of a method: the fourth word of its `OPERATIONS` line (each `${string}` stops at
 * the first space), else the method name itself.
 */
type OperationOf<
  F extends FamilyKey,
  M extends keyof Operations[F],
> = Operations[F][M] extends `${string} ${string} ${string} ${infer Id extends OperationId}`
  ? Id
  : M & OperationId;

/**
 * Compile-time check of `OPERATIONS`: the names of the methods whose operationId is not an
 * operationId of openapi.yaml (`never` when there are none). A typo fails `RowsNameOperations`.
 */
type Unnamed = {
  [F in FamilyKey]: {
    [M in keyof Operations[F]]: [OperationOf<F, M>] extends [never] ? M : never;
  }[keyof Operations[F]];
}[FamilyKey];
type Assert<T extends true> = T;
export type RowsNameOperations = Assert<[Unnamed] extends [never] ? true : false>;

/** The methods of one family, e.g. `client.whiteLabel.transfer(...)`. */
export type FamilyClient<F extends FamilyKey> = {
  [M in keyof Operations[F]]: Method<OperationOf<F, M>>;
};
