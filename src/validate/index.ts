/**
 * `ledgerline/validate`: opt-in response validation with zod schemas derived from openapi.yaml.
 * Kept out of the core SDK bundle: import it only where you want every answer checked.
 *
 * @module ledgerline/validate
 */
import type { Middleware } from 'openapi-fetch';
import type { ZodType } from 'zod';
import { defs, type OperationId, operations } from '../../generated/operations.js';
import { LedgerlineError } from '../core/errors.js';
import { zodSchema } from './compile.js';

export type { OperationId };

/** One way a response broke its schema: `path` is the dotted path into the body (`data.balanceUsd`). */
export interface ResponseIssue {
  readonly path: string;
  readonly message: string;
}

/** A response body that does not match openapi.yaml. */
export class ResponseValidationError extends LedgerlineError {
  override name = 'ResponseValidationError';
  // `operation`: the operationId; `status`: the HTTP status; `issues`: every mismatch, path and message.
  /** The dotted path of the first failing field (`''` for the body itself). */
  readonly path: string;
  constructor(
    readonly operation: OperationId,
    readonly status: number,
    readonly issues: readonly ResponseIssue[],
  ) {
    const first = issues[0] ?? { path: '', message: 'invalid' };
    super(
      `${operation} answered ${status} with a body that does not match openapi.yaml at "${first.path || '(body)'}": ${first.message}`,
    );
    this.path = first.path;
  }
}

/**
 * The zod schema of a component of openapi.yaml, compiled on first use.
 * @param name A schema name under `components.schemas` (`'BillingWallet'`).
 * @throws RangeError when openapi.yaml has no such component.
 * @example
 * ```ts
 * componentSchema('BillingWallet').parse(await (await fetch(url)).json());
 * ```
 */
export function componentSchema(name: string): ZodType {
  const schema = defs[name];
  if (!schema) throw new RangeError(`openapi.yaml has no component schema "${name}"`);
  return zodSchema(schema);
}

/**
 * The zod schema of an operation's response body for `status` (the `default` response's when the
 * status is not listed).
 * @param operation An operationId of openapi.yaml (`'getWallet'`).
 * @param status The HTTP status of the answer.
 * @returns The schema, or `undefined` when that answer has no body. It never throws.
 * @example
 * ```ts
 * const ok = responseSchema('transferCreditsToChild', 200)?.safeParse(body).success;
 * ```
 */
export function responseSchema(operation: OperationId, status: number): ZodType | undefined {
  const response = operations[operation].responses[String(status)] ?? operations[operation].responses.default;
  return response ? zodSchema(response.schema) : undefined;
}

/**
 * Checks a response body against openapi.yaml and returns it.
 * @param operation The operationId of the call (`'getWallet'`).
 * @param status The HTTP status of the answer.
 * @param body The parsed JSON body.
 * @returns `body`, unchanged.
 * @throws ResponseValidationError with the failing path when it does not match, or when the spec
 *   declares no such status for the operation.
 * @example
 * ```ts
 * const wallet = validateResponse('getWallet', 200, await response.json());
 * ```
 */
export function validateResponse(operation: OperationId, status: number, body: unknown): unknown {
  const spec = operations[operation].responses;
  if (!(String(status) in spec) && !('default' in spec)) {
    throw new ResponseValidationError(operation, status, [
      { path: '', message: `status ${status} is not documented` },
    ]);
  }
  const schema = responseSchema(operation, status);
  if (!schema) return body;
  const result = schema.safeParse(body);
  if (result.success) return body;
  throw new ResponseValidationError(
    operation,
    status,
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}

// openapi-fetch hands middleware the path template: method + template finds the operation in O(1).
const byTemplate = new Map<string, OperationId>(
  (Object.entries(operations) as [OperationId, (typeof operations)[OperationId]][]).map(([id, op]) => [
    `${op.method} ${op.path}`,
    id,
  ]),
);

/**
 * An openapi-fetch middleware that validates every JSON response against openapi.yaml, for
 * `createClient({ middleware: [validationMiddleware()] })` or `client.paths.whiteLabel.use(...)`.
 * Answers that are not JSON (and 204s) pass unchecked.
 * @returns The middleware; it takes no options.
 * @throws ResponseValidationError from the call whose answer does not match.
 * @example
 * ```ts
 * const client = createClient({ baseUrl: 'http://localhost:4010', middleware: [validationMiddleware()] });
 * ```
 */
export function validationMiddleware(): Middleware {
  return {
    async onResponse({ request, response, schemaPath }) {
      const operation = byTemplate.get(`${request.method} ${schemaPath}`);
      const type = response.headers.get('content-type') ?? '';
      if (!operation || !type.includes('json') || response.status === 204) return undefined;
      validateResponse(operation, response.status, await response.clone().json());
      return undefined;
    },
  };
}
