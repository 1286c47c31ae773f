import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationId, operations } from '../../generated/operations.js';
import { createClient } from '../../src/index.js';
import { validateResponse } from '../../src/validate/index.js';
import { validRequests } from '../fuzz/valid-requests.js';
import { type Prism, startPrism } from './prism.js';
import { prismExample } from './spec-examples.js';

// Every SDK method against `prism mock openapi.yaml` (stateless, answering the spec's examples): a
// server we did not write, built from the same spec. Each method must resolve to Prism's example
// as typed data (billing's envelope unwrapped), and every example must match its own schema.

let prism: Prism | undefined;

beforeAll(async () => {
  prism = await startPrism('mock');
}, 60_000);

afterAll(async () => {
  await prism?.stop();
});

/** The SDK's public methods and the operation each calls (README, "SDK"). */
const SDK_METHODS = {
  whiteLabel: {
    listUsers: 'listWhiteLabelUsers',
    register: 'registerWhiteLabelUser',
    createToken: 'createWhiteLabelToken',
    login: 'loginWhiteLabelUser',
    transfer: 'transferWhiteLabelBalance',
    me: 'getCurrentUser',
    logout: 'logoutWhiteLabelUser',
    listApiKeys: 'listUserApiKeys',
    createApiKey: 'createUserApiKey',
    deleteApiKey: 'deleteUserApiKey',
    listCalls: 'listUserCalls',
  },
  reseller: {
    calculate: 'calculateCredits',
    transfer: 'transferCreditsToChild',
    revert: 'revertCreditsFromChild',
    listOrganizations: 'listResellerOrganizations',
    addUser: 'addResellerUser',
    listCreditLogs: 'listCreditLogs',
    setChildConcurrency: 'setChildConcurrency',
  },
  creditSend: { login: 'login', send: 'sendCredits' },
  billing: {
    getWallet: 'getWallet',
    topUp: 'topUpWallet',
    setAutoReload: 'setAutoReload',
    credit: 'creditWallet',
    listUsage: 'listUsage',
    listUsageItems: 'listUsageItems',
    listPlans: 'listPlans',
    getSubscription: 'getSubscription',
    changeSubscription: 'changeSubscription',
    listInvoices: 'listInvoices',
  },
} as const satisfies Record<string, Record<string, OperationId>>;

const methods = Object.entries(SDK_METHODS).flatMap(([family, table]) =>
  Object.entries(table).map(([name, operationId]) => ({
    family: family as keyof typeof SDK_METHODS,
    name,
    operationId: operationId as OperationId,
  })),
);

describe('the SDK against Prism mock', () => {
  it('has a smoke test for every operation of the four families (all but mock-admin)', () => {
    const familyOperations = Object.entries(operations).filter(([, op]) => op.family !== 'mock-admin');
    expect(methods.map((m) => m.operationId).sort()).toEqual(familyOperations.map(([id]) => id).sort());
  });

  for (const { family, name, operationId } of methods) {
    it(`${family}.${name} returns the spec example of ${operationId}`, async () => {
      const client = createClient({
        baseUrl: prism?.url ?? '',
        credentials: {
          whiteLabel: { apiKey: 'wl_admin_demo' },
          reseller: { apiKey: 'rs_demo' },
          creditSend: { token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig' },
          billing: { apiKey: 'flowyte_sk_test_demo', sessionToken: 'flowyte_session_demo' },
        },
        retry: false,
      });
      const body = validRequests('token')[operationId].body;
      const call = (client[family] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
        name
      ];
      if (!call) throw new Error(`client.${family}.${name} is missing`);
      const { query } = operations[operationId];
      // A path parameter is the call's first argument (`deleteApiKey({ id })`).
      const params = operations[operationId].path.includes('{id}') ? { id: 1 } : undefined;
      const result = await (body ? call(body) : params ? call(params) : query ? call({}) : call());

      const { status, example } = prismExample(operationId);
      expect(example, `${operationId} has no example`).toBeDefined();
      expect(() => validateResponse(operationId, status, example)).not.toThrow();
      const expected = family === 'billing' ? (example as { data: unknown }).data : example;
      expect(result).toEqual(expected);
    });
  }
});
