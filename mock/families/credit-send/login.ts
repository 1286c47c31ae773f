import type { OperationContext } from '../../http/family.js';
import type { MockResponse } from '../../http/types.js';
import { signSessionToken } from './jwt.js';
import { type CreditSendPrincipal, type CreditSendState, errorResponse, FAMILY, INVALID } from './state.js';

const TTL_MIN_SECONDS = 5;
const TTL_MAX_SECONDS = 86_400;
const ONE_TIME = 'one-time';
// Deliberately loose, like most login forms: one `@`, no spaces, a dot in the domain.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Ttl = { readonly seconds: number | null; readonly text: string };

/** `"one-time"`, or whole seconds 5..86400 as text or an integer; `null` for anything else. */
export function parseTtl(value: unknown): Ttl | null {
  if (value === ONE_TIME) return { seconds: null, text: ONE_TIME };
  const seconds =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,6}$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(seconds) || seconds < TTL_MIN_SECONDS || seconds > TTL_MAX_SECONDS) return null;
  return { seconds, text: String(seconds) };
}

/**
 * `POST /user/login`: checks the arguments (email format, ttl), then the credentials, and issues an
 * HS256 JWT stamped with the server's clock. One-time tokens carry a `jti` instead of an `exp`.
 */
export async function login(
  context: OperationContext<CreditSendState, CreditSendPrincipal>,
): Promise<MockResponse> {
  const { ledger, state, body } = context;
  const email = body.email as string;
  if (!EMAIL.test(email)) return errorResponse(400, INVALID, 'This email is not valid.');
  const ttl = parseTtl(body.ttl);
  if (ttl === null) return errorResponse(400, INVALID, 'This ttl is not valid.');
  const account = ledger.findAccount(FAMILY, 'email', email);
  const userId = account?.identifiers.find((identifier) => identifier.kind === 'userId')?.value;
  const user = userId === undefined ? undefined : state.users[String(userId)];
  if (user === undefined || user.secret !== body.secret) {
    return errorResponse(401, 'Wrong password', 'Wrong password.');
  }
  const issuedAtSeconds = Math.floor(ledger.clock.now() / 1000);
  let tokenId: string | null = null;
  if (ttl.seconds === null) {
    state.oneTimeTokensIssued += 1;
    tokenId = `ott_${state.oneTimeTokensIssued}`;
  }
  const token = await signSessionToken(state.jwtSecret, {
    userId: user.id,
    organizationId: user.organizationId,
    issuedAtSeconds,
    ttlSeconds: ttl.seconds,
    tokenId,
  });
  return {
    status: 200,
    body: {
      status: 'OK',
      data: {
        id: user.id,
        email: user.email,
        sandbox: false,
        status: 'USER_LOGGED',
        ttl: ttl.text,
        issued: new Date(issuedAtSeconds * 1000).toISOString(),
        token,
      },
    },
  };
}
