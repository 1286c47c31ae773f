import type { OperationId } from '../../../generated/operations.js';
import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import { randomBytes } from '../../ledger/entropy.js';
import type { Ledger } from '../../ledger/ledger.js';
import {
  adminAccountId,
  DEFAULT_TOKEN_NAME,
  EITHER_ID_OR_EMAIL,
  errorResponse,
  laravelError,
  laravelTimestamp,
  type UserState,
  userAccountId,
  type WhiteLabelPrincipal,
  type WhiteLabelState,
} from './state.js';
import { findTargetUser } from './users.js';

type Context<Id extends OperationId> = SpecContext<WhiteLabelState, WhiteLabelPrincipal, Id>;

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_SECRET_LENGTH = 40;

/** The ledger account a caller's token authenticates. */
export function callerAccount(principal: WhiteLabelPrincipal): string {
  return principal.role === 'admin'
    ? adminAccountId(principal.platform)
    : userAccountId(principal.platform, principal.userId);
}

/**
 * Issues a Sanctum-style bearer token (`<id>|<40 characters>`) for an account, registers it as the
 * account's `apiKey` identifier (so one ledger lookup authenticates it and snapshots keep it) and
 * records it for the API-key list, logout and delete.
 */
export function issueToken(ledger: Ledger, state: WhiteLabelState, accountId: string, name: string): string {
  state.tokensIssued += 1;
  const id = state.tokensIssued;
  const bytes = randomBytes(TOKEN_SECRET_LENGTH);
  // 256 % 62 leaves a slight bias; a mock token needs uniqueness, not uniform randomness.
  const secret = Array.from(bytes, (byte) => TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length]).join('');
  const token = `${id}|${secret}`;
  ledger.addIdentifiers(accountId, [{ kind: 'apiKey', value: token }]);
  const createdAt = laravelTimestamp(ledger.clock.isoNow());
  state.tokens[String(id)] = { id, accountId, name, token, createdAt };
  return token;
}

/** A token for a user (register, token, login). */
export function issueUserToken(
  ledger: Ledger,
  state: WhiteLabelState,
  user: UserState,
  name: string = DEFAULT_TOKEN_NAME,
): string {
  return issueToken(ledger, state, userAccountId(user.platform, user.id), name);
}

/** Revokes tokens of an account: the one with `tokenId`, or every `apiKey` identifier it has. */
function revoke(ledger: Ledger, state: WhiteLabelState, accountId: string, tokenId?: number): void {
  if (tokenId !== undefined) {
    const record = state.tokens[String(tokenId)];
    if (record === undefined || record.accountId !== accountId) return;
    ledger.removeIdentifiers(accountId, [{ kind: 'apiKey', value: record.token }]);
    delete state.tokens[String(tokenId)];
    return;
  }
  const keys =
    ledger.account(accountId)?.identifiers.filter((identifier) => identifier.kind === 'apiKey') ?? [];
  ledger.removeIdentifiers(accountId, keys);
  for (const [id, record] of Object.entries(state.tokens))
    if (record.accountId === accountId) delete state.tokens[id];
}

/**
 * `POST /api/white-label/logout`: revokes one token of a platform user (`token_id`) or all of them,
 * seed `userKeys` included; a `token_id` that is not the user's revokes nothing (docs/decisions.md).
 */
export function logoutUser(
  { ledger, state, body }: Context<'logoutWhiteLabelUser'>,
  platform: number,
): MockResponse {
  // The logout page's 422 names `user_id` alone.
  if (body.user_id === undefined && body.email === undefined)
    return laravelError(['user_id'], EITHER_ID_OR_EMAIL);
  const found = findTargetUser(ledger, state, platform, body);
  if (!found.ok) return found.response;
  revoke(ledger, state, userAccountId(found.user.platform, found.user.id), body.token_id);
  return { status: 200, body: { message: 'User logged out successfully.' } };
}

/** `GET /api/user/api-keys`: the caller's tokens, oldest first, without the tokens themselves. */
export function listApiKeys({ state, principal }: Context<'listUserApiKeys'>): MockResponse {
  const accountId = callerAccount(principal);
  const apiKeys = Object.values(state.tokens)
    .filter((record) => record.accountId === accountId)
    .sort((a, b) => a.id - b.id)
    .map(({ id, name, createdAt }) => ({ id, name, last_used_at: null, created_at: createdAt }));
  return { status: 200, body: { api_keys: apiKeys } };
}

/** `POST /api/user/api-keys`: a new token of the caller, shown once. */
export function createApiKey({ ledger, state, principal, body }: Context<'createUserApiKey'>): MockResponse {
  const token = issueToken(ledger, state, callerAccount(principal), body.name);
  const createdAt = state.tokens[String(state.tokensIssued)]?.createdAt ?? '';
  return {
    status: 201,
    body: {
      message: 'API key created successfully.',
      api_key: { name: body.name, token, created_at: createdAt },
    },
  };
}

/** `DELETE /api/user/api-keys/{id}`: one of the caller's tokens, at once; another's is 404. */
export function deleteApiKey({
  ledger,
  state,
  principal,
  params,
}: Context<'deleteUserApiKey'>): MockResponse {
  const accountId = callerAccount(principal);
  const record = state.tokens[String(params.id)];
  if (record === undefined || record.accountId !== accountId) return errorResponse(404, 'API key not found.');
  revoke(ledger, state, accountId, record.id);
  return { status: 200, body: { message: 'API key deleted successfully.' } };
}
