import { base64url, errors, jwtVerify, SignJWT } from 'jose';
import { randomBytes } from '../../ledger/entropy.js';

/** Claims of a session token. */
export interface SessionClaims {
  readonly userId: number;
  readonly organizationId: number;
  readonly issuedAtSeconds: number;
  /** `null`: no expiry (a one-time token, or a login without `ttl`). */
  readonly ttlSeconds: number | null;
  /**
   * `jti`: `ott_<n>` on one-time tokens (the id the server records when the token is spent), `lt_<user>`
   * on tokens of a login without `ttl` (no expiry, reusable), `null` on ttl tokens.
   */
  readonly tokenId: string | null;
}

export type VerifiedToken =
  | {
      readonly ok: true;
      readonly userId: number;
      readonly organizationId: number;
      readonly tokenId: string | null;
    }
  | { readonly ok: false; readonly details: string };

/** `jti` prefix of tokens of a login without `ttl`: no expiry, and not spent by use. */
export const LONG_LIVED_PREFIX = 'lt_';

/** A fresh per-server HS256 secret; WebCrypto randomness works in Node and in browsers (MSW). */
export function newJwtSecret(): string {
  return base64url.encode(randomBytes(32));
}

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** Signs an HS256 JWT: `sub` (user id as text), `org`, `iat`, and `exp` or `jti`. */
export function signSessionToken(secret: string, claims: SessionClaims): Promise<string> {
  const jwt = new SignJWT({ org: claims.organizationId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(claims.userId))
    .setIssuedAt(claims.issuedAtSeconds);
  if (claims.ttlSeconds !== null) jwt.setExpirationTime(claims.issuedAtSeconds + claims.ttlSeconds);
  if (claims.tokenId !== null) jwt.setJti(claims.tokenId);
  return jwt.sign(keyOf(secret));
}

/**
 * Verifies signature and expiry against the server's clock (`nowMs`), not the system time: tests
 * and `/_mock/clock` move it. Only this server's HS256 tokens pass.
 */
export async function verifySessionToken(
  secret: string,
  token: string,
  nowMs: number,
): Promise<VerifiedToken> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: ['HS256'],
      currentDate: new Date(nowMs),
    });
    const userId = Number(payload.sub);
    const organizationId = payload.org;
    if (!Number.isSafeInteger(userId) || typeof organizationId !== 'number') {
      return { ok: false, details: 'Invalid token.' };
    }
    // A token without expiry carries a `jti`: a one-time token's id, or `lt_` (a login without ttl).
    if (payload.exp === undefined && typeof payload.jti !== 'string')
      return { ok: false, details: 'Invalid token.' };
    const jti = payload.exp === undefined ? (payload.jti ?? null) : null;
    const tokenId = jti?.startsWith(LONG_LIVED_PREFIX) ? null : jti;
    return { ok: true, userId, organizationId, tokenId };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, details: 'Token expired.' };
    if (error instanceof errors.JOSEError) return { ok: false, details: 'Invalid token.' };
    throw error;
  }
}
