import type { OperationId } from '../../../generated/operations.js';
import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { formatAmount } from '../../ledger/money.js';
import { whiteLabelValidationError } from './errors.js';
import {
  adminAccountId,
  DEFAULT_TIMEZONE,
  DEFAULT_TOKEN_NAME,
  EMAIL_TAKEN,
  errorResponse,
  FAMILY,
  INVALID_CREDENTIALS,
  laravelError,
  laravelTimestamp,
  type PlatformState,
  SCALE,
  type UserState,
  userAccountId,
  userKey,
  type WhiteLabelPrincipal,
  type WhiteLabelState,
} from './state.js';
import { issueUserToken } from './tokens.js';
import { balanceInCents, findTargetUser, userBalances, userByEmail } from './users.js';

type Context<Id extends OperationId> = SpecContext<WhiteLabelState, WhiteLabelPrincipal, Id>;

/** `GET /api/white-label/users`: the platform's users in creation order. */
export function listUsers({ ledger, state }: Context<'listWhiteLabelUsers'>, platform: number): MockResponse {
  const userIds = state.platforms[platform]?.userIds ?? [];
  const data = userIds.flatMap((id) => {
    const user = state.users[userKey(platform, id)];
    if (user === undefined) return [];
    return [
      { id, name: user.name, email: user.email, ...userBalances(ledger, user), created_at: user.createdAt },
    ];
  });
  return { status: 200, body: { data } };
}

/** `POST /api/white-label/register`: a new user of the caller's platform, with its first token. */
export function registerUser(
  { ledger, state, body }: Context<'registerWhiteLabelUser'>,
  platform: number,
): MockResponse {
  const { name, email } = body;
  const timezone = body.timezone ?? DEFAULT_TIMEZONE;
  if (userByEmail(ledger, state, platform, email) !== undefined) return laravelError(['email'], EMAIL_TAKEN);
  if (!isTimeZone(timezone)) return whiteLabelValidationError({ timezone: ['must be a valid timezone'] });
  const adminId = adminAccountId(platform);
  // Family-wide next id: a registered user's id is new in every platform.
  const id = state.nextUserId;
  ledger.openAccount({
    id: userAccountId(platform, id),
    family: FAMILY,
    kind: 'user',
    parent: adminId,
    identifiers: [
      { kind: 'userId', value: id, scope: adminId },
      { kind: 'email', value: email, scope: adminId },
    ],
  });
  state.nextUserId += 1;
  const { password } = body;
  const createdAt = laravelTimestamp(ledger.clock.isoNow());
  const user: UserState = { id, name, email, platform, timezone, createdAt, password };
  state.users[userKey(platform, id)] = user;
  state.platforms[platform]?.userIds.push(id);
  const token = issueUserToken(ledger, state, user);
  return { status: 201, body: { message: 'Registration successful.', user: { id, name, email }, token } };
}

/** `POST /api/white-label/token`: a new bearer token for one of the platform's users. */
export function createToken(
  { ledger, state, body }: Context<'createWhiteLabelToken'>,
  platform: number,
): MockResponse {
  const found = findTargetUser(ledger, state, platform, body);
  if (!found.ok) return found.response;
  return tokenAnswer(ledger, state, found.user, body.token_name, 'Token created successfully.');
}

/**
 * `POST /api/white-label/login`: the admin logs one of its platform's users in with the user's email
 * and password. Every failure is the same 401 (unknown email, another platform's user, wrong or no
 * password), so a login reveals nothing about other platforms (docs/fidelity.md).
 */
export function loginUser(
  { ledger, state, body }: Context<'loginWhiteLabelUser'>,
  platform: number,
): MockResponse {
  const user = userByEmail(ledger, state, platform, body.email);
  if (user === undefined || user.password === null || user.password !== body.password) {
    return errorResponse(401, INVALID_CREDENTIALS);
  }
  return tokenAnswer(ledger, state, user, body.token_name, 'Login successful.');
}

function tokenAnswer(
  ledger: Ledger,
  state: WhiteLabelState,
  user: UserState,
  requestedName: string | undefined,
  message: string,
): MockResponse {
  const { id, name, email } = user;
  const tokenName = requestedName ?? DEFAULT_TOKEN_NAME;
  const token = issueUserToken(ledger, state, user, tokenName);
  return { status: 200, body: { message, user: { id, name, email }, token, token_name: tokenName } };
}

/**
 * `GET /api/user/me`: the caller's own figures; `total_balance` in USD at the platform's price per
 * minute (docs/decisions.md, "White-label balances in USD").
 */
export function currentUser({ ledger, state, principal }: Context<'getCurrentUser'>): MockResponse {
  const platform = state.platforms[principal.platform];
  if (principal.role === 'admin') {
    const minutes = ledger.balance(adminAccountId(principal.platform), 'minutes');
    return meResponse(platform?.adminName ?? '', platform?.adminEmail ?? '', minutes, 0n, platform);
  }
  const user = state.users[userKey(principal.platform, principal.userId)];
  const accountId = userAccountId(principal.platform, principal.userId);
  const minutes = ledger.balance(accountId, 'minutes');
  const credits = ledger.balance(accountId, 'credits');
  return meResponse(user?.name ?? '', user?.email ?? '', minutes, credits, platform);
}

function meResponse(
  name: string,
  email: string,
  minutes: bigint,
  credits: bigint,
  platform: PlatformState | undefined,
): MockResponse {
  return {
    status: 200,
    body: {
      name,
      email,
      total_balance: formatAmount(balanceInCents(minutes, credits, platform), 2),
      minutes_balance: formatAmount(minutes, SCALE),
      credits_balance: formatAmount(credits, SCALE),
    },
  };
}

/** An IANA zone name the runtime knows (`Intl` throws a RangeError for others). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
