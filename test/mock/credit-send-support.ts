import type { MockApp } from '../../mock/app.js';
import { type CallResult, call } from './support.js';

export { books } from './support.js';

export { specIssues } from './white-label-support.js';

export const ADA = { email: 'ada@example.com', secret: 's3cret-ada' };
export const BOB = { email: 'bob@example.com', secret: 's3cret-bob' };
export const EVE = { email: 'eve@example.org', secret: 's3cret-eve' };

export function login(
  app: MockApp,
  json: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  return call(app, 'POST', '/user/login', { json, headers });
}

/** Logs in and answers the token; fails the test when login does not succeed. */
export async function tokenOf(app: MockApp, who: typeof ADA, ttl: string | number = '3600'): Promise<string> {
  const res = await login(app, { ...who, ttl });
  if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  return res.body.data.token as string;
}

export function send(
  app: MockApp,
  token: string | undefined,
  json: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  return call(app, 'POST', '/credits/send', {
    json,
    headers: token === undefined ? headers : { ...headers, token },
  });
}

export function credits(app: MockApp, accountId: string): bigint {
  return app.world.ledger.balance(accountId, 'credits');
}

export const invalid = (details: string) => ({ error: { code: '5_topi_invalidi', details } });
export const badToken = (details: string) => ({ error: { code: 'Invalid token', details } });
