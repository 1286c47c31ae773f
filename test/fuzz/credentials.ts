import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { OperationId } from '../../generated/operations.js';
import { ADMIN_TOKEN } from './support.js';

// Credentials that must be refused: made up, another family's, the wrong kind for the operation
// (a user token on an admin endpoint, a read-only key for a write, a key where a session is
// required), forged JWTs (alg none, wrong secret, a re-signed payload), and none at all.

const DEMO_KEYS = [
  'wl_admin_demo',
  'wl_admin_credits_demo',
  'wl_user_demo',
  'rs_demo',
  'rs_other',
  'flowyte_sk_test_demo',
  'flowyte_sk_test_readonly',
  'flowyte_sk_test_manual',
  'flowyte_session_demo',
  'flowyte_session_manual',
];

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with the claims of ada@example.com's session, forged without the server's secret. */
export function forgedJwts(validToken: string): string[] {
  const claims = { sub: '10', org: 1, iat: 1_748_779_200, exp: 4_102_444_800 };
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const signed = (secret: string) => {
    const body = `${head}.${b64(claims)}`;
    return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
  };
  const [h, , s] = validToken.split('.');
  const resigned = `${h}.${b64({ ...claims, sub: '11' })}.${s}`;
  return [
    none,
    signed('secret'),
    signed(''),
    resigned,
    `${validToken}x`,
    validToken.split('.').slice(0, 2).join('.'),
  ];
}

const bogusToken = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e]{1,200}$/),
  fc.stringMatching(/^[\x21-\x7e\xa0-\xff]{1,60}$/),
  fc.constantFrom('null', 'undefined', '0', 'Bearer', '*', '../../etc/passwd', "' OR 1=1 --"),
);

function bearerHeaders(valid: readonly string[], wrongKind: readonly string[]) {
  const refused = fc.oneof(
    bogusToken.filter((t) => !valid.includes(t)),
    fc.constantFrom(...DEMO_KEYS.filter((k) => !valid.includes(k))),
  );
  return fc.oneof(
    refused.map((t) => ({ authorization: `Bearer ${t}` })),
    refused.map((t) => ({ authorization: `Basic ${t}` })),
    fc.constantFrom(...(wrongKind.length ? wrongKind : ['x'])).map((t) => ({ authorization: `Bearer ${t}` })),
    fc.constantFrom<Record<string, string>>({}, { authorization: 'Bearer' }, { authorization: '' }),
  );
}

/** Headers with a refused credential for this operation; `undefined` when it takes none. */
export function refusedCredentials(
  operation: OperationId,
  family: string,
  creditSendToken: string,
): fc.Arbitrary<Record<string, string>> | undefined {
  if (family === 'mock-admin')
    return fc.oneof(
      fc.constant({}),
      bogusToken.filter((t) => t !== ADMIN_TOKEN).map((t) => ({ 'x-mock-admin-token': t })),
    );
  if (operation === 'login') return undefined;
  if (family === 'white-label') {
    // The user's own endpoints take a user's token or an admin key; the rest an admin key only.
    const me = [
      'getCurrentUser',
      'listUserApiKeys',
      'createUserApiKey',
      'deleteUserApiKey',
      'listUserCalls',
    ].includes(operation);
    const valid = me
      ? ['wl_admin_demo', 'wl_admin_credits_demo', 'wl_user_demo']
      : ['wl_admin_demo', 'wl_admin_credits_demo'];
    return bearerHeaders(valid, me ? [] : ['wl_user_demo']);
  }
  if (family === 'reseller') return bearerHeaders(['rs_demo', 'rs_other'], []);
  if (family === 'credit-send')
    return fc.oneof(
      fc.constantFrom(...forgedJwts(creditSendToken)).map((t) => ({ token: t })),
      bogusToken.map((t) => ({ token: t })),
      fc.constantFrom({}, { authorization: `Bearer ${creditSendToken}` }),
    );
  const session = ['topUpWallet', 'setAutoReload', 'changeSubscription'].includes(operation);
  const write = operation === 'creditWallet';
  const valid = [
    'flowyte_sk_test_demo',
    'flowyte_sk_test_manual',
    'flowyte_session_demo',
    'flowyte_session_manual',
    'flowyte_sk_test_readonly',
  ];
  const wrongKind = session
    ? ['flowyte_sk_test_demo', 'flowyte_sk_test_readonly', 'flowyte_sk_test_manual']
    : write
      ? ['flowyte_sk_test_readonly']
      : [];
  return bearerHeaders(
    valid.filter((k) => !wrongKind.includes(k)),
    wrongKind,
  );
}
