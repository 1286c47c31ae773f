import fc from 'fast-check';
import type { OperationId } from '../../generated/operations.js';
import { demoSeed } from '../../mock/index.js';
import { ADMIN } from './support.js';

/** What a valid call of each operation looks like: the fuzz breaks exactly one thing of it. */
export interface Valid {
  readonly headers: Record<string, string>;
  readonly body?: Record<string, unknown>;
  /** Fields whose absence alone makes the body invalid (beyond the schema's `required`). */
  readonly alsoRequired?: readonly string[];
  /** Values the schema allows but the operation must refuse (unknown ids, shortfalls, out of range). */
  readonly refused?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A valid request per operation of openapi.yaml (`sendCredits` needs a token from a login). */
export function validRequests(creditSendToken: string): Record<OperationId, Valid> {
  const wl = bearer('wl_admin_demo');
  const rs = bearer('rs_demo');
  const key = bearer('flowyte_sk_test_demo');
  const session = bearer('flowyte_session_demo');
  const password = 'correct horse battery';
  return {
    listWhiteLabelUsers: { headers: wl },
    registerWhiteLabelUser: {
      headers: wl,
      body: { name: 'Fuzz', email: 'fuzz@example.com', password },
      refused: {
        email: fc.constantFrom('user@example.com', 'GRACE@example.com'),
        timezone: fc.constantFrom('Mars/Olympus', 'UTC+25', 'Europe/Nowhere'),
      },
    },
    createWhiteLabelToken: {
      headers: wl,
      body: { user_id: 123 },
      alsoRequired: ['user_id'],
      refused: {
        user_id: fc.constantFrom(126, 999_999, Number.MAX_SAFE_INTEGER),
        email: fc.constant('grace@example.com'),
      },
    },
    loginWhiteLabelUser: {
      headers: wl,
      body: { email: 'user@example.com', password: 'userpassword123' },
      refused: {
        // Grace has no password in the demo seed; nobody is nobody.
        email: fc.constantFrom('grace@example.com', 'nobody@example.com', 'jane@example.com'),
        password: fc.constantFrom('wrong password', 'USERPASSWORD123', 'userpassword12'),
      },
    },
    transferWhiteLabelBalance: {
      headers: wl,
      body: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
      alsoRequired: ['user_id'],
      refused: {
        user_id: fc.constantFrom(126, 999_999, Number.MAX_SAFE_INTEGER),
        email: fc.constantFrom('grace@example.com', 'nobody@example.com'),
        amount: fc.double({ min: 951, max: 1_000_000, noNaN: true }).map((n) => Math.round(n * 100) / 100),
      },
    },
    getCurrentUser: { headers: bearer('wl_user_demo') },
    logoutWhiteLabelUser: {
      headers: wl,
      body: { user_id: 123 },
      alsoRequired: ['user_id'],
      refused: {
        user_id: fc.constantFrom(126, 999_999, Number.MAX_SAFE_INTEGER),
        email: fc.constantFrom('grace@example.com', 'nobody@example.com'),
      },
    },
    listUserApiKeys: { headers: bearer('wl_user_demo') },
    createUserApiKey: { headers: bearer('wl_user_demo'), body: { name: 'Fuzz key' } },
    deleteUserApiKey: { headers: bearer('wl_user_demo') },
    listUserCalls: { headers: bearer('wl_user_demo') },
    calculateCredits: {
      headers: rs,
      body: { minutes: 1, cost_per_min: 0.2 },
      refused: {
        cost_per_min: fc.constantFrom(0.05, 1e21, 1e300),
        child_organization_id: fc.constantFrom(5678, 5001, 5002, 999_999),
      },
    },
    transferCreditsToChild: {
      headers: rs,
      body: { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
      refused: {
        to_organization_id: fc.constantFrom(5678, 5001, 5002, 999_999, Number.MAX_SAFE_INTEGER),
        cost_per_min: fc.constantFrom(0.05, 0.0899, 1e21, 1e300),
        minutes: fc.integer({ min: 685, max: 1_000_000 }),
      },
    },
    revertCreditsFromChild: {
      headers: rs,
      body: { from_organization_id: 4002, minutes: 1 },
      refused: {
        from_organization_id: fc.constantFrom(5678, 5001, 5002, 999_999),
        minutes: fc.integer({ min: 51, max: 1_000_000 }),
      },
    },
    listResellerOrganizations: { headers: rs },
    addResellerUser: {
      headers: rs,
      body: { name: 'Fuzz', email: 'fuzz@example.com', phone: '+15550100', password },
    },
    listCreditLogs: { headers: rs },
    setChildConcurrency: {
      headers: rs,
      body: { child_organization_id: 4002, new_limit: 3 },
      refused: {
        child_organization_id: fc.constantFrom(5678, 5001, 5002, 999_999, Number.MAX_SAFE_INTEGER),
        // The demo pool holds 10 free slots and 4002 has 2: a limit above 12 cannot be covered.
        new_limit: fc.integer({ min: 13, max: 1_000_000 }),
      },
    },
    login: {
      headers: {},
      body: { email: 'ada@example.com', secret: 's3cret-ada', ttl: '60' },
      refused: {
        email: fc.constantFrom('nobody@example.com', 'ADA@example.com ', ''),
        secret: fc.string({ minLength: 1, maxLength: 40 }).filter((v) => v !== 's3cret-ada'),
        ttl: fc.constantFrom(
          '4',
          '86401',
          4,
          86_401,
          60.5,
          '1e3',
          ' 60',
          'one-time ',
          'ONE-TIME',
          -60,
          1e308,
        ),
      },
    },
    sendCredits: { headers: { token: creditSendToken }, body: { user: 11, credits: 1 } },
    getWallet: { headers: key },
    topUpWallet: { headers: session, body: { amountUsd: 10 } },
    setAutoReload: { headers: session, body: { enabled: true, thresholdUsd: 10, amountUsd: 20 } },
    creditWallet: { headers: key, body: { amountUsd: 1, reason: 'fuzz' } },
    listUsage: { headers: key },
    listUsageItems: { headers: key },
    listPlans: { headers: key },
    getSubscription: { headers: key },
    changeSubscription: {
      headers: session,
      body: { planId: 'starter' },
      refused: { planId: fc.constantFrom('enterprise', 'STARTER', 'starter ', '__proto__', 'toString') },
    },
    listInvoices: { headers: key },
    mockReset: { headers: ADMIN, body: { seed: { ...demoSeed } } },
    mockGetState: { headers: ADMIN },
    mockGetJournal: { headers: ADMIN },
    mockGetClock: { headers: ADMIN },
    mockSetClock: {
      headers: ADMIN,
      body: { advanceSeconds: 0 },
      refused: {
        advanceSeconds: fc.double({ min: 3e11, max: 1e308, noNaN: true }),
        now: fc.constantFrom('10000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z'),
      },
    },
    mockListFaults: { headers: ADMIN },
    mockAddFault: { headers: ADMIN, body: { path: '/nowhere', kind: 'latency', delayMs: 0, times: 1 } },
    mockClearFaults: { headers: ADMIN },
    mockDeleteFault: { headers: ADMIN },
    mockRecordUsage: {
      headers: ADMIN,
      body: { organizationId: 'org_demo', channel: 'chat', quantity: 1 },
      refused: {
        organizationId: fc.constantFrom('org_nope', 'ORG_DEMO', '__proto__', 'constructor'),
        quantity: fc.integer({ min: 500_001, max: 1_000_000 }),
      },
    },
    mockRecordWhiteLabelCall: {
      headers: ADMIN,
      body: { userId: 123, durationSeconds: 60 },
      refused: {
        userId: fc.constantFrom(126, 999_999),
        platform: fc.constantFrom(3, 999),
        durationSeconds: fc.integer({ min: 3031, max: 86_400 }),
      },
    },
    mockSettlePayment: { headers: ADMIN },
    mockFailPayment: { headers: ADMIN },
    mockListRequests: { headers: ADMIN },
    mockExportRequestsHar: { headers: ADMIN },
    mockClearRequests: { headers: ADMIN },
    mockCheckInvariants: { headers: ADMIN },
    mockCreateSandbox: { headers: ADMIN, body: {} },
    mockListSandboxes: { headers: ADMIN },
    mockDeleteSandbox: { headers: ADMIN },
    mockGetSandbox: { headers: ADMIN },
    // The page takes no input and no credential: nothing to break (operations.test.ts skips it).
    mockInspector: { headers: {} },
  };
}
