import type { OperationId } from '../../../generated/operations.js';
import { defineFamily } from '../../family-kit/define-family.js';
import type { SpecApi, SpecContext } from '../../family-kit/family.js';
import type { MockRequest, MockResponse } from '../../family-kit/types.js';
import { specFamily } from '../spec.js';
import { listCalls } from './calls.js';
import { unauthenticated, whiteLabelErrors } from './errors.js';
import { seedWhiteLabel } from './seed.js';
import {
  errorResponse,
  FAMILY,
  NOT_ADMIN,
  platformOfAdminAccount,
  SCALE,
  type WhiteLabelPrincipal,
  type WhiteLabelState,
} from './state.js';
import { createApiKey, deleteApiKey, listApiKeys, logoutUser } from './tokens.js';
import { transferBalance } from './transfer.js';
import { createToken, currentUser, listUsers, loginUser, registerUser } from './user-endpoints.js';

type Context<Id extends OperationId> = SpecContext<WhiteLabelState, WhiteLabelPrincipal, Id>;

/** Runs an admin-only operation with the caller's platform; authenticate already refused user tokens. */
function asAdmin<Id extends OperationId>(run: (context: Context<Id>, platform: number) => MockResponse) {
  return (context: Context<Id>): MockResponse =>
    context.principal.role === 'admin'
      ? run(context, context.principal.platform)
      : errorResponse(403, NOT_ADMIN);
}

function bearer(request: MockRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.header('authorization') ?? '');
  return match?.[1];
}

/**
 * White-label transfer (app.autocalls.ai): platform admins move call minutes and chat credits to
 * and from their users. Admin keys and user tokens are `apiKey` identifiers of the admin and user
 * accounts, so one O(1) ledger lookup authenticates either.
 */
type WhiteLabelApi = SpecApi<
  | 'listWhiteLabelUsers'
  | 'registerWhiteLabelUser'
  | 'createWhiteLabelToken'
  | 'loginWhiteLabelUser'
  | 'transferWhiteLabelBalance'
  | 'getCurrentUser'
  | 'logoutWhiteLabelUser'
  | 'listUserApiKeys'
  | 'createUserApiKey'
  | 'deleteUserApiKey'
  | 'listUserCalls'
>;

/** The operations a user's own token authenticates (docs/decisions.md); the rest are admin-only. */
const USER_OPERATIONS: ReadonlySet<string> = new Set([
  'getCurrentUser',
  'listUserApiKeys',
  'createUserApiKey',
  'deleteUserApiKey',
  'listUserCalls',
]);

export const whiteLabel = defineFamily<WhiteLabelState, WhiteLabelPrincipal, WhiteLabelApi>({
  ...specFamily(FAMILY),
  prefixes: ['/api/white-label', '/api/user'],
  errors: whiteLabelErrors,
  assets: [
    { asset: 'minutes', scale: SCALE },
    { asset: 'credits', scale: SCALE },
  ],
  seed: seedWhiteLabel,
  authenticate({ ledger, request, operationId }) {
    const key = bearer(request);
    const account = key === undefined ? undefined : ledger.findAccount(FAMILY, 'apiKey', key);
    if (account === undefined) {
      return { ok: false, response: unauthenticated() };
    }
    if (account.kind === 'admin') {
      return { ok: true, principal: { role: 'admin', platform: platformOfAdminAccount(account.id) } };
    }
    const userId = account.identifiers.find((identifier) => identifier.kind === 'userId')?.value;
    // User tokens authenticate the user's own endpoints only (docs/decisions.md).
    if (!USER_OPERATIONS.has(operationId) || userId === undefined || account.parent === null) {
      return { ok: false, response: errorResponse(403, NOT_ADMIN) };
    }
    const platform = platformOfAdminAccount(account.parent);
    return { ok: true, principal: { role: 'user', platform, userId: Number(userId) } };
  },
  idempotency: {
    scope: (principal) =>
      principal.role === 'admin'
        ? `admin:${principal.platform + 1}`
        : `user:${principal.platform + 1}:${principal.userId}`,
  },
  operations: {
    listWhiteLabelUsers: asAdmin(listUsers),
    registerWhiteLabelUser: asAdmin(registerUser),
    createWhiteLabelToken: asAdmin(createToken),
    loginWhiteLabelUser: asAdmin(loginUser),
    transferWhiteLabelBalance: asAdmin(transferBalance),
    getCurrentUser: currentUser,
    logoutWhiteLabelUser: asAdmin(logoutUser),
    listUserApiKeys: listApiKeys,
    createUserApiKey: createApiKey,
    deleteUserApiKey: deleteApiKey,
    listUserCalls: listCalls,
  },
});
export { recordCall } from './calls.js';
