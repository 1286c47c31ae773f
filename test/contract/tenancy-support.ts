import type { MockApp } from '../../mock/index.js';
import { type CallOptions, type CallResult, call } from '../mock/support.js';

/** A caller: how its credential travels, and whose it is. */
export interface Credential {
  readonly name: string;
  readonly family: 'white-label' | 'reseller' | 'credit-send' | 'billing';
  readonly headers: Readonly<Record<string, string>>;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The demo seed's static credentials, every family. */
export const STATIC_CREDENTIALS: readonly Credential[] = [
  { name: 'wl_admin_demo', family: 'white-label', headers: bearer('wl_admin_demo') },
  { name: 'wl_admin_credits_demo', family: 'white-label', headers: bearer('wl_admin_credits_demo') },
  { name: 'wl_user_demo (user 123)', family: 'white-label', headers: bearer('wl_user_demo') },
  { name: 'rs_demo', family: 'reseller', headers: bearer('rs_demo') },
  { name: 'rs_other', family: 'reseller', headers: bearer('rs_other') },
  { name: 'flowyte_sk_test_demo', family: 'billing', headers: bearer('flowyte_sk_test_demo') },
  { name: 'flowyte_sk_test_readonly', family: 'billing', headers: bearer('flowyte_sk_test_readonly') },
  { name: 'flowyte_sk_test_manual', family: 'billing', headers: bearer('flowyte_sk_test_manual') },
  { name: 'flowyte_session_demo', family: 'billing', headers: bearer('flowyte_session_demo') },
  { name: 'flowyte_session_manual', family: 'billing', headers: bearer('flowyte_session_manual') },
];

/** Credentials the server issues: white-label user tokens (per user) and credit-send sessions (per user). */
export async function issuedCredentials(app: MockApp): Promise<Credential[]> {
  const out: Credential[] = [];
  // User ids are per platform (docs/fidelity.md): both platforms have a user 123.
  for (const [admin, userId, name] of [
    ['wl_admin_demo', 123, 'user 123'],
    ['wl_admin_demo', 125, 'user 125'],
    ['wl_admin_credits_demo', 123, 'credits-platform user 123'],
  ] as const) {
    const issued = await call(app, 'POST', '/api/white-label/token', {
      bearer: admin,
      json: { user_id: userId },
    });
    out.push({
      name: `white-label token of ${name}`,
      family: 'white-label',
      headers: bearer(issued.body.token),
    });
  }
  const registered = await call(app, 'POST', '/api/white-label/register', {
    bearer: 'wl_admin_credits_demo',
    json: { name: 'New', email: 'new@example.com', password: 'long enough secret' },
  });
  out.push({
    name: 'white-label token of a registered user',
    family: 'white-label',
    headers: bearer(registered.body.token),
  });
  for (const [email, secret] of [
    ['ada@example.com', 's3cret-ada'],
    ['bob@example.com', 's3cret-bob'],
    ['eve@example.org', 's3cret-eve'],
  ] as const) {
    for (const ttl of ['3600', 'one-time']) {
      const login = await call(app, 'POST', '/user/login', { json: { email, secret, ttl } });
      out.push({
        name: `credit-send ${ttl} token of ${email}`,
        family: 'credit-send',
        headers: { token: login.body.data.token },
      });
    }
  }
  return out;
}

/** Calls with a credential's headers (plus the options' own). */
export function callAs(
  app: MockApp,
  who: Credential,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  return call(app, method, path, { ...options, headers: { ...who.headers, ...options.headers } });
}

/** Every balance figure an answer may leak, by the families' field names. */
export const BALANCE_FIELDS =
  /minutes_balance|credits_balance|total_balance|new_to_balance|new_from_balance|child_balance|your_new_balance|user_new_balance|balanceUsd|available_balance/;
