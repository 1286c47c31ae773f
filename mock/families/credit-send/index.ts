import { defineFamily } from '../../family-kit/define-family.js';
import type { AuthResult, SpecApi } from '../../family-kit/family.js';
import type { MockRequest } from '../../family-kit/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { specFamily } from '../spec.js';
import { verifySessionToken } from './jwt.js';
import { login } from './login.js';
import { seedCreditSend } from './seed.js';
import { sendCredits } from './send.js';
import {
  type CreditSendPrincipal,
  type CreditSendState,
  creditSendErrors,
  errorResponse,
  INVALID_TOKEN,
} from './state.js';

type Auth = AuthResult<CreditSendPrincipal>;

/**
 * Login has no credential yet: its idempotency scope is the email it logs in (docs/decisions.md),
 * read leniently here because authentication runs before the body is parsed and validated.
 */
function loginPrincipal(request: MockRequest): Auth {
  let email = '';
  try {
    const parsed: unknown = JSON.parse(request.bodyText ?? '');
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'email' in parsed &&
      typeof parsed.email === 'string'
    ) {
      email = parsed.email.toLowerCase();
    }
  } catch {
    // The pipeline answers the malformed body after authentication.
  }
  return { ok: true, principal: { kind: 'login', email } };
}

/** Verifies the `token` header's JWT against the server's secret and clock. */
async function tokenPrincipal(ledger: Ledger, state: CreditSendState, request: MockRequest): Promise<Auth> {
  const refuse = (details: string): Auth => ({
    ok: false,
    response: errorResponse(401, INVALID_TOKEN, details),
  });
  const token = request.header('token')?.trim();
  if (!token) return refuse('Missing token.');
  const verified = await verifySessionToken(state.jwtSecret, token, ledger.clock.now());
  if (!verified.ok) return refuse(verified.details);
  const user = state.users[String(verified.userId)];
  if (user === undefined || user.organizationId !== verified.organizationId) return refuse('Invalid token.');
  return {
    ok: true,
    principal: {
      kind: 'user',
      userId: user.id,
      organizationId: user.organizationId,
      oneTimeTokenId: verified.tokenId,
    },
  };
}

/**
 * Credit send (public-api.timesafe.io): users log in for an HS256 JWT and send whole credits to
 * users of their own organization, paying a network fee on top.
 */
export const creditSend = defineFamily<
  CreditSendState,
  CreditSendPrincipal,
  SpecApi<'login' | 'sendCredits'>
>({
  ...specFamily('credit-send'),
  prefixes: ['/user/login', '/credits/send'],
  errors: creditSendErrors,
  // Whole credits.
  assets: [{ asset: 'credits', scale: 0 }],
  seed: seedCreditSend,
  authenticate: ({ ledger, state, request, operationId }) =>
    operationId === 'login' ? loginPrincipal(request) : tokenPrincipal(ledger, state, request),
  idempotency: {
    // Per user, not per token: a client that logs in again keeps its keys.
    scope: (principal) =>
      principal.kind === 'login' ? `login:${principal.email}` : `user:${principal.userId}`,
    // A 501 is the family's business refusal (docs/decisions.md, "The project contract"), an answer like a 4xx: replayed, not retried.
    replays: (status) => status < 500 || status === 501,
    // Login has no credential yet: its keys must not spend the pool tenants' keys depend on.
    anonymous: (principal) => principal.kind === 'login',
  },
  operations: {
    login,
    sendCredits,
  },
});
