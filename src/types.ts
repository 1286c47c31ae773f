import type { components, operations } from '../generated/openapi.js';
import type { CallOptions } from './core/fetch-with-retry.js';

/*
 * Types over the generated `operations` of openapi.yaml. The generated family clients
 * (generated/sdk/) name one interface per method's body, query, result and item by extending these.
 */

/**
 * Per-call options, the optional last argument of every method.
 * @interface
 */
export type RequestOptions = CallOptions;

/** The operationId of every operation of openapi.yaml. */
export type OperationId = keyof operations;
type JsonOf<T> = T extends { content: { 'application/json': infer J } } ? J : never;

/** The JSON request body of an operation (`never` when it takes none). */
export type RequestBody<Id extends OperationId> = operations[Id] extends { requestBody?: infer B }
  ? JsonOf<NonNullable<B>>
  : never;

/** The query parameters of an operation (`never` when it takes none). */
export type QueryOf<Id extends OperationId> = operations[Id]['parameters'] extends { query?: infer Q }
  ? NonNullable<Q>
  : never;

/** The path parameters of an operation (`never` when it takes none). */
export type PathOf<Id extends OperationId> = operations[Id]['parameters'] extends { path?: infer P }
  ? NonNullable<P>
  : never;

/** The JSON body of an operation's success answer (200 or 201). */
export type SuccessBody<Id extends OperationId> = {
  [S in keyof operations[Id]['responses']]: S extends 200 | 201
    ? JsonOf<operations[Id]['responses'][S]>
    : never;
}[keyof operations[Id]['responses']];

/** A named schema of openapi.yaml (`components.schemas`), e.g. one shape of a `oneOf` result. */
export type SchemaOf<Name extends keyof components['schemas']> = components['schemas'][Name];

/** The member `Key` of an operation's success body: billing's `{success, data}` envelope unwrapped. */
export type SuccessData<Id extends OperationId, Key extends string> =
  SuccessBody<Id> extends { [K in Key]: infer Data } ? Data : never;

/** What a method resolves to: the success body, with billing's `{success, data}` envelope unwrapped. */
export type Result<Id extends OperationId> =
  SuccessBody<Id> extends { success: true; data: infer Data } ? Data : SuccessBody<Id>;

/** The value at a path of keys (`['data', 'logs']`) of `T`. */
export type At<T, Path extends readonly string[]> = Path extends readonly [
  infer Key extends keyof T,
  ...infer Rest extends readonly string[],
]
  ? At<T[Key], Rest>
  : T;

/** The element type of the list at a path of `T`: the items of one page. */
export type ItemAt<T, Path extends readonly string[]> =
  At<T, Path> extends readonly (infer Item)[] ? Item : never;
