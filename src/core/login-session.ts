import { record, text } from './json.js';

/** Credentials that log in rather than hold a token (credit send: `{ email, secret, ttlSeconds? }`). */
export interface LoginAccount {
  email: string;
  secret: string;
  ttlSeconds?: number;
}

/** A token obtained by logging in, renewed before it expires and after a refusal. */
export interface LoginSession {
  /** The current token: at once while it is fresh, else after a login. */
  token(): string | Promise<string>;
  /** Logs in again (after a 401 answer). */
  renew(): Promise<string>;
}

/** Sends the family's login operation with a body; answers its success data. */
export type SendLogin = (body: Record<string, string>) => Promise<unknown>;

/**
 * A credit-send login session: `POST /user/login` with `{email, secret, ttl}` on first use, again a
 * minute before the token expires (or at half the ttl) and after a refusal. Expiry is reckoned in
 * local time, not the server's. Used by a family whose token scheme names a login method
 * (`x-ledgerline-credential-login` in openapi.yaml).
 */
export function createLoginSession(account: LoginAccount, sendLogin: SendLogin): LoginSession {
  const ttlSeconds = account.ttlSeconds ?? 3600;
  let current: string | undefined;
  let renewAtMs = 0;
  async function renew(): Promise<string> {
    const renewAt = Date.now() + Math.max(ttlSeconds * 500, ttlSeconds * 1000 - 60_000);
    const answer = await sendLogin({ email: account.email, secret: account.secret, ttl: `${ttlSeconds}` });
    const token = text(record(record(answer).data).token);
    if (token === undefined) throw new TypeError('The login answer carries no token.');
    current = token;
    renewAtMs = renewAt;
    return token;
  }
  return {
    token: () => (current !== undefined && Date.now() < renewAtMs ? current : renew()),
    renew,
  };
}

/** Whether a family's credentials are a login account rather than a token. */
export const isLoginAccount = (
  value: Record<string, unknown>,
): value is Record<string, unknown> & LoginAccount =>
  typeof value.email === 'string' && typeof value.secret === 'string';
