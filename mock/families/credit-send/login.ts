import type { SpecContext } from '../../family-kit/family.js';
import type { Maybe, MockResponse } from '../../family-kit/types.js';
import { LONG_LIVED_PREFIX, signSessionToken } from './jwt.js';
import {
  type CreditSendPrincipal,
  type CreditSendState,
  type CreditSendUserState,
  errorResponse,
  FAMILY,
  INVALID,
  REFUSED,
  WRONG_USER,
} from './state.js';

const TTL_MIN_SECONDS = 5;
const TTL_MAX_SECONDS = 86_400;
const ONE_TIME = 'one-time';
// Deliberately loose, like most login forms: one `@`, no spaces, a dot in the domain.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An identification code as the User-Create page defines it: alphanumeric, at most 20 characters. */
export const USER_CODE = /^[A-Za-z0-9]{1,20}$/;

type Context = SpecContext<CreditSendState, CreditSendPrincipal, 'login'>;

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
 * The code as the page's `"cf": 11044930961` shows it: a number when it is decimal digits a JSON
 * number carries exactly (no leading zero, a safe integer), else the string (alphanumeric codes).
 */
export function cfOf(code: string | null): string | number | null {
  if (code === null || !/^[1-9]\d*$/.test(code)) return code;
  const value = Number(code);
  return Number.isSafeInteger(value) ? value : code;
}

/**
 * The user `email` names: the login page takes "email o codice identificativo dell'utente", so an
 * email is looked up as one and anything else as an identification code (`cf`).
 */
function findUser(context: Context, login: string): CreditSendUserState | undefined {
  const { ledger, state } = context;
  if (EMAIL.test(login)) {
    const account = ledger.findAccount(FAMILY, 'email', login);
    const userId = account?.identifiers.find((identifier) => identifier.kind === 'userId')?.value;
    return userId === undefined ? undefined : state.users[String(userId)];
  }
  const userId = state.userIdsByCode[login];
  return userId === undefined ? undefined : state.users[String(userId)];
}

/**
 * `POST /user/login`: checks the arguments (email or code format, ttl), then the credentials, and
 * issues an HS256 JWT stamped with the server's clock. One-time tokens carry a `jti` instead of an
 * `exp`; without `ttl` the token has neither expiry nor single use, and the answer has no `ttl` and no
 * `issued` ("i campi TTL e issued esistono solo se si è specificato in fase di login un TTL").
 * A refusal answers at once, not as a promise: a durable store then sees at once that it changed
 * nothing, and records nothing (mock/steps/step-handler.ts).
 */
export function login(context: Context): Maybe<MockResponse> {
  const { ledger, state, body } = context;
  const { email } = body;
  if (!EMAIL.test(email) && !USER_CODE.test(email)) return errorResponse(REFUSED, INVALID, WRONG_USER);
  const ttl = body.ttl === undefined ? undefined : parseTtl(body.ttl);
  if (ttl === null) return errorResponse(REFUSED, INVALID, 'This ttl is not valid.');
  const user = findUser(context, email);
  if (user === undefined) return errorResponse(REFUSED, INVALID, WRONG_USER);
  if (user.secret !== body.secret) return errorResponse(REFUSED, 'Wrong password', 'Wrong password.');
  const issuedAtSeconds = Math.floor(ledger.clock.now() / 1000);
  let tokenId: string | null = null;
  if (ttl === undefined) tokenId = `${LONG_LIVED_PREFIX}${user.id}`;
  else if (ttl.seconds === null) {
    state.oneTimeTokensIssued += 1;
    tokenId = `ott_${state.oneTimeTokensIssued}`;
  }
  const signing = signSessionToken(state.jwtSecret, {
    userId: user.id,
    organizationId: user.organizationId,
    issuedAtSeconds,
    ttlSeconds: ttl?.seconds ?? null,
    tokenId,
  });
  return signing.then((token) => loggedIn(user, ttl, issuedAtSeconds, token));
}

/** The answer to a login that issued `token`. */
function loggedIn(
  user: CreditSendUserState,
  ttl: Ttl | undefined,
  issuedAtSeconds: number,
  token: string,
): MockResponse {
  // `sandbox: true` as the page's example: nothing a reference server moves is real.
  const identity = {
    id: user.id,
    cf: cfOf(user.code),
    email: user.email,
    sandbox: true,
    status: 'USER_LOGGED',
  };
  const data =
    ttl === undefined
      ? { ...identity, token }
      : { ...identity, ttl: ttl.text, issued: issuedAtSeconds, token };
  return { status: 200, body: { status: 'OK', data } };
}
