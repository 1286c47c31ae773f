import { describe, expect, it } from 'vitest';
import { type OperationId, operations } from '../../generated/operations.js';
import type { MockApp } from '../../mock/index.js';
import { validRequests } from '../fuzz/valid-requests.js';
import { books, call, demoApp } from '../mock/support.js';
import {
  BALANCE_FIELDS,
  type Credential,
  callAs,
  issuedCredentials,
  STATIC_CREDENTIALS,
} from './tenancy-support.js';

// Billing tenancy (each organization's keys and sessions see and change only its own wallet) and
// every credential of every family against every operation of every other family: 401, nothing moved.

const ORGS = {
  org_demo: {
    key: 'flowyte_sk_test_demo',
    credentials: ['flowyte_sk_test_demo', 'flowyte_sk_test_readonly', 'flowyte_session_demo'],
    session: 'flowyte_session_demo',
  },
  org_manual: {
    key: 'flowyte_sk_test_manual',
    credentials: ['flowyte_sk_test_manual', 'flowyte_session_manual'],
    session: 'flowyte_session_manual',
  },
} as const;

const READS = [
  '/api/v1/billing/wallet',
  '/api/v1/billing/subscription',
  '/api/v1/billing/usage',
  '/api/v1/billing/usage/items',
  '/api/v1/billing/invoices',
];

/** Everything an organization's own key can read of it. */
async function view(app: MockApp, key: string): Promise<unknown[]> {
  return Promise.all(READS.map(async (path) => (await call(app, 'GET', path, { bearer: key })).body));
}

describe('billing: every key and session sees and changes only its own organization', () => {
  it('answers every read of every credential with its own organization', async () => {
    const app = demoApp();
    await call(app, 'POST', '/_mock/billing/usage', {
      json: { organizationId: 'org_demo', channel: 'chat', quantity: 3 },
    });
    const demo = await view(app, ORGS.org_demo.key);
    const manual = await view(app, ORGS.org_manual.key);
    expect(demo).not.toEqual(manual);
    for (const [org, { credentials }] of Object.entries(ORGS))
      for (const credential of credentials)
        expect(await view(app, credential), `${credential} reads`).toEqual(
          org === 'org_demo' ? demo : manual,
        );
  });

  it('leaves the other organization untouched by every write of every credential', async () => {
    for (const [org, { credentials, session }] of Object.entries(ORGS)) {
      const app = demoApp();
      const other = org === 'org_demo' ? ORGS.org_manual.key : ORGS.org_demo.key;
      const before = await view(app, other);
      const own = await view(app, ORGS[org as keyof typeof ORGS].key);
      const writes = [
        ['POST', '/api/v1/billing/wallet/credit', { amountUsd: 7, reason: 'tenancy' }],
        ['POST', '/api/v1/billing/wallet/topup', { amountUsd: 25 }],
        ['PUT', '/api/v1/billing/wallet/auto-reload', { enabled: true, thresholdUsd: 900, amountUsd: 100 }],
        ['POST', '/api/v1/billing/subscription', { planId: 'growth' }],
      ] as const;
      for (const credential of [...credentials, session])
        for (const [method, path, json] of writes)
          await call(app, method, path, { bearer: credential, json });
      expect(await view(app, other), `${org}'s writes`).toEqual(before);
      expect(await view(app, ORGS[org as keyof typeof ORGS].key), `${org}'s own view`).not.toEqual(own);
    }
  });
});

/** A request of `operation` that its own family would accept (ids of the demo seed). */
function sample(operation: OperationId) {
  const spec = operations[operation];
  const body = validRequests('unused')[operation].body;
  return {
    method: spec.method,
    path: spec.path.replace('{paymentId}', 'pay_1'),
    ...(body ? { json: body } : {}),
  };
}

const FAMILY_OPERATIONS = (Object.keys(operations) as OperationId[]).filter(
  (id) => operations[id].family !== 'mock-admin' && id !== 'login',
);

describe('every credential against every operation of every other family', () => {
  it('is refused with 401 and moves nothing, as bearer and as credit-send token header', async () => {
    const app = demoApp();
    const everyone: Credential[] = [...STATIC_CREDENTIALS, ...(await issuedCredentials(app))];
    const before = books(app);
    let checked = 0;
    for (const who of everyone) {
      const token = who.headers.authorization?.replace('Bearer ', '') ?? who.headers.token ?? '';
      const asBearer: Credential = { ...who, headers: { authorization: `Bearer ${token}` } };
      const asToken: Credential = { ...who, headers: { token } };
      for (const operation of FAMILY_OPERATIONS) {
        if (operations[operation].family === who.family) continue;
        const { method, path, ...options } = sample(operation);
        for (const variant of [asBearer, asToken]) {
          const answer = await callAs(app, variant, method, path, options);
          expect(answer.status, `${who.name} on ${operation}: ${JSON.stringify(answer.body)}`).toBe(401);
          expect(JSON.stringify(answer.body)).not.toMatch(BALANCE_FIELDS);
          checked += 1;
        }
      }
    }
    expect(books(app)).toEqual(before);
    expect(checked).toBeGreaterThan(500);
  });
});
