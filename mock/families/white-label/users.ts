import type { MockResponse } from '../../family-kit/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { divHalfUp, formatAmount, parseAmount, pow10 } from '../../ledger/money.js';
import {
  CREDITS_PER_MINUTE,
  DEFAULT_USD_PER_MINUTE,
  DIFFERENT_USERS,
  EITHER_ID_OR_EMAIL,
  errorResponse,
  FAMILY,
  laravelError,
  NOT_IN_PLATFORM,
  type PlatformState,
  RATE_SCALE,
  SCALE,
  USER_NOT_FOUND,
  type UserState,
  userAccountId,
  userKey,
  type WhiteLabelState,
} from './state.js';

export type UserLookup =
  | { readonly ok: true; readonly user: UserState }
  | { readonly ok: false; readonly response: MockResponse };

/**
 * The user a transfer or token request names, as the caller's platform sees it. `user_id` wins when
 * both are given (404/403 as usual) and `email` must then be that user's, else 422. Ids and emails are
 * unique per platform, so both are looked up in the caller's platform first; one found only in another
 * platform is 403 (the seed page's "User does not belong to your white label platform."), nowhere 404.
 */
export function findTargetUser(
  ledger: Ledger,
  state: WhiteLabelState,
  platform: number,
  body: { readonly user_id?: number; readonly email?: string },
): UserLookup {
  const { user_id: userId, email } = body;
  if (userId === undefined && email === undefined) {
    return { ok: false, response: laravelError(['user_id', 'email'], EITHER_ID_OR_EMAIL) };
  }
  if (userId !== undefined) {
    const user = state.users[userKey(platform, userId)];
    if (user === undefined) {
      const elsewhere = state.platforms.some((_, other) => state.users[userKey(other, userId)] !== undefined);
      return {
        ok: false,
        response: errorResponse(elsewhere ? 403 : 404, elsewhere ? NOT_IN_PLATFORM : USER_NOT_FOUND),
      };
    }
    if (email !== undefined && email.toLowerCase() !== user.email.toLowerCase()) {
      return { ok: false, response: laravelError(['user_id', 'email'], DIFFERENT_USERS) };
    }
    return { ok: true, user };
  }
  const own = userByEmail(ledger, state, platform, email ?? '');
  if (own !== undefined) return { ok: true, user: own };
  const elsewhere = state.platforms.some(
    (_, other) => other !== platform && userByEmail(ledger, state, other, email ?? '') !== undefined,
  );
  return {
    ok: false,
    response: errorResponse(elsewhere ? 403 : 404, elsewhere ? NOT_IN_PLATFORM : USER_NOT_FOUND),
  };
}

/** The platform's user with this email (case-insensitive), through the ledger's O(1) index. */
export function userByEmail(
  ledger: Ledger,
  state: WhiteLabelState,
  platform: number,
  email: string,
): UserState | undefined {
  const adminId = state.platforms[platform]?.adminAccountId;
  if (adminId === undefined) return undefined;
  const account = ledger.findAccount(FAMILY, 'email', email, adminId);
  const id = account?.identifiers.find((identifier) => identifier.kind === 'userId')?.value;
  return id === undefined ? undefined : state.users[userKey(platform, Number(id))];
}

/** A user's balances as the API renders them. */
export function userBalances(
  ledger: Ledger,
  user: UserState,
): { minutes_balance: number; credits_balance: number } {
  const accountId = userAccountId(user.platform, user.id);
  return {
    minutes_balance: formatAmount(ledger.balance(accountId, 'minutes'), SCALE),
    credits_balance: formatAmount(ledger.balance(accountId, 'credits'), SCALE),
  };
}

/**
 * What `minutes` and `credits` (scaled, 2 decimals) are worth in USD cents at the platform's price:
 * `(minutes + credits / 9) x usdPerMinute`, rounded half up once, at the end.
 */
export function balanceInCents(
  minutes: bigint,
  credits: bigint,
  platform: PlatformState | undefined,
): bigint {
  const rate = parseAmount(platform?.usdPerMinute ?? DEFAULT_USD_PER_MINUTE, RATE_SCALE);
  // Ninths of a hundredth of a minute times rate units of 10^-4 USD: cents are 9 x 10^4 of them.
  return divHalfUp((CREDITS_PER_MINUTE * minutes + credits) * rate, CREDITS_PER_MINUTE * pow10(RATE_SCALE));
}
