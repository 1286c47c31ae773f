import { type OperationId, operations } from '../../generated/operations.js';
import type { MockApp } from '../../mock/app.js';
import { zodSchema } from '../../src/validate/compile.js';
import { type CallResult, call } from './support.js';

export { books } from './support.js';

export const ADMIN = 'wl_admin_demo';
export const CREDITS_ADMIN = 'wl_admin_credits_demo';
export const USER_KEY = 'wl_user_demo';

export interface TransferInput {
  readonly user_id?: number;
  readonly email?: string;
  readonly transfer_type: 'minutes' | 'credits';
  readonly operation: 'add' | 'remove';
  readonly amount: number;
}

export function transfer(
  app: MockApp,
  bearer: string,
  json: TransferInput | Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  return call(app, 'POST', '/api/white-label/transfer', { bearer, json, headers });
}

/** A white-label balance in scaled units (2 decimals). */
export function balance(app: MockApp, accountId: string, asset: 'minutes' | 'credits'): bigint {
  return app.world.ledger.balance(accountId, asset);
}

/**
 * Schema problems of an answer against openapi.yaml's response for its status (or `default`): the
 * reference server must never answer outside its own spec.
 */
export function specIssues(operationId: OperationId, res: CallResult): string[] {
  const responses = operations[operationId].responses;
  const spec = responses[String(res.status)] ?? responses.default;
  if (spec === undefined) return [`no response ${res.status} in openapi.yaml`];
  const result = zodSchema(spec.schema).safeParse(res.body);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
