import type { MockResponse } from '../../family-kit/types.js';

export const FAMILY = 'white-label';
/** Seed balances are posted from here. */
export const OPENING_ACCOUNT = 'white-label:opening';
/** Takes the other legs of a credits transfer (credits on one side, minutes on the other). */
export const CONVERSION_ACCOUNT = 'white-label:conversion';
/** Decimals of both white-label assets (docs/decisions.md, "The project contract"): the conversion math relies on them being equal. */
export const SCALE = 2;
export const CREDITS_PER_MINUTE = 9n;
/** The price of a minute when the seed gives none (docs/decisions.md, "White-label balances in USD"). */
export const DEFAULT_USD_PER_MINUTE = 0.1;
/** Decimals of a seed's `usdPerMinute` (openapi.yaml: multipleOf 0.0001). */
export const RATE_SCALE = 4;

const ADMIN_PREFIX = 'white-label:admin:';

/** One platform: its admin (the account holding the platform's minutes) and its users in creation order. */
export interface PlatformState {
  readonly adminAccountId: string;
  readonly adminName: string;
  readonly adminEmail: string;
  readonly userIds: number[];
  /** Seed `usdPerMinute`; absent in states written before it existed (then the default). */
  readonly usdPerMinute?: number;
}

export interface UserState {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  /** Index into `platforms`. */
  readonly platform: number;
  readonly timezone: string;
  readonly createdAt: string;
  /** What `POST /api/white-label/login` checks; `null` for a seeded user without one (cannot log in). */
  readonly password: string | null;
  /**
   * Minutes the admin paid for the credits the user holds, in ninths of a hundredth of a minute (a
   * decimal string): what a removal refunds from (docs/decisions.md, "White-label credits cost
   * basis"). Absent until the first credits transfer, and in older states: then the credits held.
   */
  creditsCost?: string;
}

/** A Sanctum-style token (`<id>|<secret>`): issued by register, token, login or `POST /api/user/api-keys`. */
export interface TokenRecord {
  readonly id: number;
  /** The ledger account it authenticates (a user's, or the admin's). */
  readonly accountId: string;
  readonly name: string;
  readonly token: string;
  readonly createdAt: string;
}

/** A finished call recorded by `POST /_mock/white-label/calls`; amounts are scaled integers as text. */
export interface CallRecord {
  readonly id: number;
  readonly platform: number;
  readonly userId: number;
  readonly type: 'inbound' | 'outbound' | 'web';
  readonly status: string;
  readonly durationSeconds: number;
  /** USD at 4 decimals. */
  readonly carrierCost: string;
  /** Minutes drawn, at 2 decimals. */
  readonly minutes: string;
  /** USD at 6 decimals (minutes x the price per minute). */
  readonly totalCost: string;
  readonly assistantName: string | null;
  readonly clientPhoneNumber: string | null;
  readonly createdAtMs: number;
  readonly reference: string | null;
}

/** The family's own data; balances live in the ledger, API keys and tokens as `apiKey` identifiers. */
export interface WhiteLabelState {
  readonly platforms: PlatformState[];
  /** By `userKey(platform, id)`: user ids are unique per platform (docs/fidelity.md). */
  readonly users: Record<string, UserState>;
  nextUserId: number;
  tokensIssued: number;
  /** Issued tokens by id (tokens issued before this was kept are not listed, but still revoked). */
  readonly tokens: Record<string, TokenRecord>;
  /** Recorded calls in the order they were recorded (ids from 1). */
  readonly calls: CallRecord[];
}

export type WhiteLabelPrincipal =
  | { readonly role: 'admin'; readonly platform: number }
  | { readonly role: 'user'; readonly platform: number; readonly userId: number };

/** Platforms are numbered from 1 in account ids (`white-label:admin:1`), from 0 in `platforms`. */
export function adminAccountId(platform: number): string {
  return `${ADMIN_PREFIX}${platform + 1}`;
}

export function platformOfAdminAccount(accountId: string): number {
  return Number(accountId.slice(ADMIN_PREFIX.length)) - 1;
}

/** Key of `WhiteLabelState.users`: two platforms may each have a user 123 (the seed page's examples). */
export function userKey(platform: number, userId: number): string {
  return `${platform + 1}:${userId}`;
}

/** `white-label:user:<platform from 1>:<user id>`. */
export function userAccountId(platform: number, userId: number): string {
  return `white-label:user:${userKey(platform, userId)}`;
}

/** Microsecond ISO-8601 as Laravel renders `created_at` (`2025-01-05T10:30:00.000000Z`, users page). */
export function laravelTimestamp(isoMillis: string): string {
  return isoMillis.replace(/(\.\d{3})Z$/, '$1000Z');
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
export const INVALID_CREDENTIALS = 'Invalid credentials.';
/** `token_name` when the request has none (token and login pages: "Defaults to \"api-token\""). */
export const DEFAULT_TOKEN_NAME = 'api-token';
/** `timezone` of a registered user when the request has none (register page). */
export const DEFAULT_TIMEZONE = 'Europe/Bucharest';
/** Takes the other leg of the minutes a call draws from a user. */
export const USAGE_ACCOUNT = 'white-label:usage';
