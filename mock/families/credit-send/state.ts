import {
  describeFields,
  ERROR_CODE,
  ERROR_STATUS,
  type ErrorShapes,
  REQUIRED,
  statusCode,
} from '../../family-kit/errors.js';
import type { MockResponse } from '../../family-kit/types.js';

export const FAMILY = 'credit-send';
export const OPENING_ACCOUNT = 'credit-send:opening';
/** Receives the network fee of every send. */
export const FEES_ACCOUNT = 'credit-send:fees';
export const DEFAULT_FEE_CREDITS = 1;

export interface CreditSendUserState {
  readonly id: number;
  readonly email: string;
  readonly secret: string;
  readonly organizationId: number;
  /** The user's identification code (the login page's `cf`), which login accepts in place of the email. */
  readonly code: string | null;
}

/** The family's own data (plain JSON); balances live in the ledger. */
export interface CreditSendState {
  readonly feeCredits: number;
  /** HS256 key material of this server's JWTs (base64url text, random per seed). */
  readonly jwtSecret: string;
  /** By user id (as a string key). */
  readonly users: Record<string, CreditSendUserState>;
  /** User id by identification code (`cf`): login's "email o codice identificativo dell'utente". */
  readonly userIdsByCode: Record<string, number>;
  /** Ids (`jti`) given to one-time tokens so far. */
  oneTimeTokensIssued: number;
  /** `jti` of spent one-time tokens -> when they were spent (epoch ms). */
  readonly spentTokenIds: Record<string, number>;
}

export type CreditSendPrincipal =
  /** `POST /user/login`: nobody yet; idempotency keys are scoped to the email (docs/decisions.md). */
  | { readonly kind: 'login'; readonly email: string }
  | {
      readonly kind: 'user';
      readonly userId: number;
      readonly organizationId: number;
      /** `jti` of a one-time token, which the operation spends; `null` for ttl tokens. */
      readonly oneTimeTokenId: string | null;
    };

export function userAccountId(userId: number): string {
  return `credit-send:user:${userId}`;
}

/** `{error: {code, details}}`, the family's only error shape. */
export function errorResponse(status: number, code: string, details: string): MockResponse {
  return { status, body: { error: { code, details } } };
}

export const INVALID = '5_topi_invalidi';
/**
 * The family's documented refusal status: the credits page's "501 Problemi di invio" and the
 * change-password page's 501 tab (`Wrong password.`, the missing parameter `3_asini_tristi`).
 */
export const REFUSED = 501;
/** The login page's "WRONG USER" details (its code is `5_topi_invalidi`). */
export const WRONG_USER = 'This email is not valid.';
export const INVALID_TOKEN = 'Invalid token';
export const NO_PERMISSION = 'This user does not exists or you do not have the permission to use it.';
export const NOT_ENOUGH_CREDITS = "You don't have enough credits to perform this action.";

/**
 * Undocumented failures in the family's `{error: {code, details}}` shape. The API reports one argument
 * at a time; a missing one wins over an invalid one, both 501 as the change-password page's missing
 * parameter. Malformed JSON is an invalid argument (501 too).
 */
export const creditSendErrors: ErrorShapes = {
  transport: (kind, detail) =>
    kind === 'malformed_json'
      ? errorResponse(REFUSED, INVALID, detail)
      : errorResponse(ERROR_STATUS[kind], ERROR_CODE[kind], detail),
  idempotency: (kind, detail) => errorResponse(ERROR_STATUS[kind], ERROR_CODE[kind], detail),
  server: (kind, status, detail) => errorResponse(status, ERROR_CODE[kind], detail),
  status: (status, detail) =>
    status === 401
      ? errorResponse(401, INVALID_TOKEN, detail)
      : errorResponse(status, statusCode(status), detail),
  validation(errors) {
    const missing = Object.keys(errors).find((field) => errors[field]?.includes(REQUIRED));
    return missing
      ? errorResponse(REFUSED, '3_asini_tristi', `Missing argument ${missing}.`)
      : errorResponse(REFUSED, INVALID, `Invalid ${describeFields(errors)}.`);
  },
};
