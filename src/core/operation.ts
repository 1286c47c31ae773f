import type { ErrorBodyReader } from './error-bodies/fields.js';
import type { Family, FamilyKey } from './family.js';
import type { createLoginSession } from './login-session.js';

/*
 * How generated code describes an SDK method to the runtime: everything here is read from
 * openapi.yaml by `npm run generate` (scripts/sdk/), so the runtime decides nothing per operation.
 */

/** A field of a family's credentials (`credentials.billing.sessionToken`). */
export type CredentialField = 'apiKey' | 'sessionToken' | 'token';

/** One accepted credential (an OpenAPI security scheme): which field, sent in which header. */
export interface CredentialUse {
  /** The field of the family's credentials (`x-ledgerline-credential` of the scheme). */
  readonly field: CredentialField;
  /** The request header that carries it (`Authorization`, `token`). */
  readonly header: string;
  /** Written before the value (`Bearer `), or `''`. */
  readonly prefix: string;
}

/** A list whose next page is asked for with the previous page's cursor (`x-ledgerline-sdk-pagination`). */
export interface CursorPagination {
  /** The query parameter that takes the cursor. */
  readonly cursorParam: string;
  /** Where the next cursor is in a page (`null` or absent on the last page). */
  readonly nextCursor: readonly string[];
  /** Where the items are in a page. */
  readonly results: readonly string[];
}

/** A list whose pages are numbered. */
export interface PageNumberPagination {
  /** The query parameter that takes the page number. */
  readonly pageParam: string;
  /** Where the page's own number is in a page. */
  readonly currentPage: readonly string[];
  /** Where the number of pages is in a page. */
  readonly totalPages: readonly string[];
  /** Where the items are in a page. */
  readonly results: readonly string[];
}

/** One operation of openapi.yaml as an SDK method sends it. */
export interface OperationDefinition {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The full native path. */
  readonly path: string;
  /**
   * What the method's first argument is: the JSON body, the query, the path parameters (`{id}` of the
   * path), or nothing (options come first).
   */
  readonly input: 'body' | 'query' | 'path' | 'none';
  /** Accepted credentials in the spec's order of preference; empty when none is needed. */
  readonly credentials: readonly CredentialUse[];
  readonly pagination?: CursorPagination | PageNumberPagination;
}

/** One family as the generated code hands it to the runtime. */
export interface FamilyDefinition {
  readonly key: FamilyKey;
  readonly tag: Family;
  /** The member of every success body that holds the data (billing's `{success, data}`), if any. */
  readonly successEnvelope: string | undefined;
  /** Environment variables (Node only) that supply a credential field the options leave out. */
  readonly environment: Readonly<Partial<Record<CredentialField, string>>>;
  /**
   * How a credential field is obtained by logging in (`x-ledgerline-credential-login`): the field,
   * the method that logs in, and the session that keeps the token fresh.
   */
  readonly login?: {
    readonly field: CredentialField;
    readonly method: string;
    readonly createSession: typeof createLoginSession;
  };
  /** Reads the family's error bodies. */
  readonly readError: ErrorBodyReader;
  /** Every method of the family by name. */
  readonly operations: Readonly<Record<string, OperationDefinition>>;
}
