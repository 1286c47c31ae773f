import type { MockResponse } from '../../http/types.js';

export const FAMILY = 'white-label';
/** Seed balances are posted from here. */
export const OPENING_ACCOUNT = 'white-label:opening';
/** Takes the other legs of a credits transfer (credits on one side, minutes on the other). */
export const CONVERSION_ACCOUNT = 'white-label:conversion';
/** Decimals of both white-label assets (DESIGN.md): the conversion math relies on them being equal. */
export const SCALE = 2;
export const CREDITS_PER_MINUTE = 9n;

const ADMIN_PREFIX = 'white-label:admin:';

/** One platform: its admin (the account holding the platform's minutes) and its users in creation order. */
export interface PlatformState {
  readonly adminAccountId: string;
  readonly adminName: string;
  readonly adminEmail: string;
  readonly userIds: number[];
}

export interface UserState {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  /** Index into `platforms`. */
  readonly platform: number;
  readonly timezone: string;
  readonly createdAt: string;
}

/** The family's own data; balances live in the ledger, API keys and tokens as `apiKey` identifiers. */
export interface WhiteLabelState {
  readonly platforms: PlatformState[];
  /** By user id (as a string key). */
  readonly users: Record<string, UserState>;
  nextUserId: number;
  tokensIssued: number;
}

export type WhiteLabelPrincipal =
  | { readonly role: 'admin'; readonly platform: number }
  | { readonly role: 'user'; readonly userId: number };

/** Platforms are numbered from 1 in account ids (`white-label:admin:1`), from 0 in `platforms`. */
export function adminAccountId(platform: number): string {
  return `${ADMIN_PREFIX}${platform + 1}`;
}

export function platformOfAdminAccount(accountId: string): number {
  return Number(accountId.slice(ADMIN_PREFIX.length)) - 1;
}

export function userAccountId(userId: number): string {
  return `white-label:user:${userId}`;
}

/** `{error}` body of the documented 400/403/404 answers, with the extra balance field if any. */
export function errorResponse(
  status: number,
  error: string,
  extra: Record<string, number> = {},
): MockResponse {
  return { status, body: { error, ...extra } };
}

/** A Laravel 422 whose message is given whole (not built from a field fragment), on each field. */
export function laravelError(fields: readonly string[], message: string): MockResponse {
  return {
    status: 422,
    body: { message, errors: Object.fromEntries(fields.map((field) => [field, [message]])) },
  };
}

export const NOT_ADMIN = 'You are not a white label admin.';
export const NOT_IN_PLATFORM = 'User does not belong to your white label platform.';
export const USER_NOT_FOUND = 'User not found.';
export const EITHER_ID_OR_EMAIL = 'Either user_id or email is required.';
export const DIFFERENT_USERS = 'user_id and email refer to different users.';
export const EMAIL_TAKEN = 'The email has already been taken.';
