import { base64url, errors, jwtVerify, SignJWT } from 'jose';
import { randomBytes } from '../../ledger/entropy.js';

/** Claims of a session token. */
export interface SessionClaims {
  readonly userId: number;
  readonly organizationId: number;
  readonly issuedAtSeconds: number;
  /** `null`: a one-time token, without expiry. */
  readonly ttlSeconds: number | null;
  /** Set on one-time tokens only: the id the server records when the token is spent. */
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
    // A token without expiry is only ever issued as a one-time token, which carries its id.
    if (payload.exp === undefined && typeof payload.jti !== 'string')
      return { ok: false, details: 'Invalid token.' };
    const tokenId = payload.exp === undefined ? (payload.jti ?? null) : null;
    return { ok: true, userId, organizationId, tokenId };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, details: 'Token expired.' };
    if (error instanceof errors.JOSEError) return { ok: false, details: 'Invalid token.' };
    throw error;
  }
}
