import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  ApiPromise,
  ClientOptionsError,
  createClient,
  createCreditSendClient,
  createResellerClient,
  createWhiteLabelClient,
  type ErrorCode,
  ServerError,
  ValidationError,
} from '../../src/index.js';
import { DEMO_CREDENTIALS, demoClient, useReferenceServer } from './support.js';

const { server, app } = await useReferenceServer();
const TRANSFER = '/api/v1/reseller/credits/transfer';
const order = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 } as const;

afterEach(() => {
  server.events.removeAllListeners();
  vi.unstubAllEnvs();
});

describe('one factory per family', () => {
  it('gives the same methods as createClient, for one family alone', async () => {
    const reseller = createResellerClient({
      baseUrl: 'http://localhost:4010',
      credentials: DEMO_CREDENTIALS,
    });
    expect(Object.keys(reseller).sort()).toEqual(Object.keys(createClient().reseller).sort());
    await expect(reseller.transfer(order)).resolves.toMatchObject({ new_to_balance: 14 });
  });

  it('logs in with the credit-send account on first use', async () => {
    const creditSend = createCreditSendClient({
      baseUrl: 'http://localhost:4010',
      credentials: DEMO_CREDENTIALS,
    });
    await expect(creditSend.send({ user: 11, credits: 2 })).resolves.toMatchObject({
      data: { your_new_balance: 97 },
    });
  });

  it('validates the options at once, as createClient does', () => {
    expect(() => createWhiteLabelClient({ baseUrl: 'localhost' })).toThrow(ClientOptionsError);
  });
});

describe('the raw Response and request id of a successful call', () => {
  it('are given by .withResponse(), without middleware', async () => {
    const pending = demoClient().reseller.transfer(order);
    expect(pending).toBeInstanceOf(ApiPromise);
    expect(pending).toBeInstanceOf(Promise);
    const { data, response, requestId } = await pending.withResponse();
    expect(data.new_to_balance).toBe(14);
    expect(response.status).toBe(200);
    expect(requestId).toBe(response.headers.get('x-request-id'));
    expect(requestId).toMatch(/\S/);
  });

  it('also work on a list, which still iterates', async () => {
    const logs = demoClient().reseller.listCreditLogs();
    const { data, response } = await logs.withResponse();
    expect(response.ok).toBe(true);
    expect(data.data.logs).toEqual([]);
    const items = [];
    for await (const item of logs) items.push(item);
    expect(items).toEqual([]);
  });

  it('reject with the same error as the call', async () => {
    const failed = demoClient().reseller.transfer({ ...order, minutes: -1 });
    await expect(failed.withResponse()).rejects.toBeInstanceOf(ValidationError);
    await expect(failed).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('a per-call retry policy', () => {
  it('is merged over the client policy, field by field', async () => {
    app.faults.add({ method: 'POST', path: TRANSFER, kind: 'status', status: 503 });
    let sent = 0;
    server.events.on('request:start', ({ request }) => {
      if (new URL(request.url).pathname === TRANSFER) sent += 1;
    });
    // The client's delays (1..5 ms) stay; only maxRetries changes for this call.
    await expect(demoClient().reseller.transfer(order, { retry: { maxRetries: 4 } })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(sent).toBe(5);
  });

  it('refuses an invalid partial policy, naming the field', async () => {
    await expect(demoClient().reseller.transfer(order, { retry: { maxRetries: -1 } })).rejects.toThrow(
      /retry\.maxRetries: expected an integer 0\.\.10/,
    );
  });
});

describe('a shared AbortSignal', () => {
  it('keeps no abort listener of 200 finished calls', async () => {
    const warnings: unknown[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const controller = new AbortController();
    const client = demoClient();
    try {
      await Promise.all(
        Array.from({ length: 200 }, () => client.billing.getWallet({ signal: controller.signal })),
      );
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => (w as Error).name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('credentials from the environment (Node)', () => {
  it('reads OMNIDIM_API_KEY for the reseller when the options give no key', async () => {
    vi.stubEnv('OMNIDIM_API_KEY', 'rs_demo');
    const reseller = createResellerClient({ baseUrl: 'http://localhost:4010' });
    await expect(reseller.transfer(order)).resolves.toMatchObject({ new_to_balance: 14 });
  });

  it('lets the options win over the environment', async () => {
    vi.stubEnv('OMNIDIM_API_KEY', 'rs_demo');
    const reseller = createResellerClient({
      baseUrl: 'http://localhost:4010',
      credentials: { reseller: { apiKey: 'rs_wrong' } },
    });
    await expect(reseller.transfer(order)).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
  });
});

describe('types of the surface', () => {
  it('makes baseUrl with baseUrls a compile-time error', () => {
    const never = () => {
      // @ts-expect-error: one origin for every family, or one per family, not both.
      createClient({ baseUrl: 'http://localhost:4010', baseUrls: { reseller: 'http://localhost:4011' } });
      // @ts-expect-error: the same for a family factory.
      createResellerClient({ baseUrl: 'http://localhost:4010', baseUrls: {} });
    };
    expectTypeOf(never).toBeFunction();
    expectTypeOf(createClient({ baseUrls: { reseller: 'http://localhost:4011' } })).toHaveProperty(
      'reseller',
    );
  });

  it('types error.code as the normalised union and keeps the family code a string', async () => {
    const failure = (await demoClient()
      .reseller.transfer({ ...order, minutes: -1 })
      .catch((error: unknown) => error)) as ValidationError;
    expectTypeOf(failure.code).toEqualTypeOf<ErrorCode>();
    expectTypeOf(failure.familyCode).toEqualTypeOf<string | undefined>();
    expect([failure.code, failure.familyCode]).toEqual(['validation_failed', 'invalid_request']);
  });
});
