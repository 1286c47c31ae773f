import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../mock/index.js';
import {
  type LedgerlineMatchers,
  type RequestSource,
  remoteRequests,
  requestMatchers,
} from '../../mock/matchers.js';
import { createClient } from '../../src/index.js';
import { call, demoApp } from '../mock/support.js';

// Each matcher passes and fails, with and without `.not`, with a message that says what was expected
// and what was received; in-process (a MockApp) and over HTTP (remoteRequests), alike.

declare module 'vitest' {
  interface Assertion extends LedgerlineMatchers {}
}
expect.extend(requestMatchers);

const transfer = (minutes: number) => ({ to_organization_id: 4002, minutes, cost_per_min: 0.2 });

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer({ port: 0, adminToken: 'admin-secret' });
});
afterAll(() => server.close());

/** Two transfers (1 and 2 minutes) then a wallet read, in that order, through the given source. */
async function scenario(kind: 'in-process' | 'http'): Promise<RequestSource> {
  if (kind === 'in-process') {
    const app = demoApp();
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', { bearer: 'rs_demo', json: transfer(1) });
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', { bearer: 'rs_demo', json: transfer(2) });
    await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    return app;
  }
  server.app.reset();
  const client = createClient({
    baseUrl: server.url,
    credentials: { reseller: { apiKey: 'rs_demo' }, billing: { apiKey: 'flowyte_sk_test_demo' } },
    retry: { maxRetries: 0 },
  });
  await client.reseller.transfer(transfer(1));
  await client.reseller.transfer(transfer(2));
  await client.billing.getWallet();
  return remoteRequests(server.url, { adminToken: 'admin-secret' });
}

describe.each(['in-process', 'http'] as const)('%s', (kind) => {
  it('toHaveReceivedOperation passes for a received operation and fails for another', async () => {
    const source = await scenario(kind);
    await expect(source).toHaveReceivedOperation('transferCreditsToChild');
    await expect(source).not.toHaveReceivedOperation('revertCreditsFromChild');
    await expect(expect(source).toHaveReceivedOperation('revertCreditsFromChild')).rejects.toThrow(
      /expected revertCreditsFromChild to have been received, but it was not\.\nNo requests were recorded\./,
    );
    await expect(expect(source).not.toHaveReceivedOperation('getWallet')).rejects.toThrow(
      /expected getWallet not to have been received, but it was received 1 time\.\nRequests received \(newest first, 1 of 1\):\n {2}req_\d+ GET \/api\/v1\/billing\/wallet -> 200 \(getWallet\)/,
    );
  });

  it('toHaveReceivedOperationTimes counts exactly', async () => {
    const source = await scenario(kind);
    await expect(source).toHaveReceivedOperationTimes('transferCreditsToChild', 2);
    await expect(source).toHaveReceivedOperationTimes('revertCreditsFromChild', 0);
    await expect(source).not.toHaveReceivedOperationTimes('transferCreditsToChild', 1);
    await expect(expect(source).toHaveReceivedOperationTimes('transferCreditsToChild', 1)).rejects.toThrow(
      /expected transferCreditsToChild to have been received 1 time, and it was received 2 times\.\nRequests received \(newest first, 2 of 2\):\n {2}req_\d+ POST \/api\/v1\/reseller\/credits\/transfer -> 200 \(transferCreditsToChild\) \{"to_organization_id":4002,"minutes":2,"cost_per_min":0.2\}/,
    );
  });

  it('toHaveReceivedOperationWith matches part of a body, asymmetric matchers included', async () => {
    const source = await scenario(kind);
    await expect(source).toHaveReceivedOperationWith('transferCreditsToChild', { minutes: 2 });
    await expect(source).toHaveReceivedOperationWith('transferCreditsToChild', {
      minutes: expect.any(Number),
      cost_per_min: 0.2,
    });
    await expect(source).not.toHaveReceivedOperationWith('transferCreditsToChild', { minutes: 3 });
    await expect(
      expect(source).toHaveReceivedOperationWith('transferCreditsToChild', { minutes: 3 }),
    ).rejects.toThrow(
      /expected a transferCreditsToChild request with a body matching \{"minutes":3\}, but none of 2 requests to it matched\./,
    );
  });

  it('toHaveReceivedOperationsInOrder checks the order, bodies where given', async () => {
    const source = await scenario(kind);
    await expect(source).toHaveReceivedOperationsInOrder(['transferCreditsToChild', 'getWallet']);
    await expect(source).toHaveReceivedOperationsInOrder([
      { operationId: 'transferCreditsToChild', body: { minutes: 1 } },
      { operationId: 'transferCreditsToChild', body: { minutes: 2 } },
      'getWallet',
    ]);
    await expect(source).not.toHaveReceivedOperationsInOrder(['getWallet', 'transferCreditsToChild']);
    await expect(
      expect(source).toHaveReceivedOperationsInOrder([
        { operationId: 'transferCreditsToChild', body: { minutes: 2 } },
        { operationId: 'transferCreditsToChild', body: { minutes: 1 } },
      ]),
    ).rejects.toThrow(
      /expected the requests in the order transferCreditsToChild -> transferCreditsToChild; found the first 1, then no transferCreditsToChild with a body matching \{"minutes":1\} after them\./,
    );
  });
});

describe('a truncated journal', () => {
  it('fails counting and ordering verifications, with or without .not, and says why', async () => {
    const app = demoApp({ requestJournalSize: 2 });
    for (let i = 0; i < 3; i += 1)
      await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    const why =
      /The request journal evicted 1 older request, so this cannot be verified\. Clear it before the test/;
    await expect(expect(app).toHaveReceivedOperationTimes('getWallet', 2)).rejects.toThrow(why);
    await expect(expect(app).not.toHaveReceivedOperationTimes('getWallet', 2)).rejects.toThrow(why);
    await expect(expect(app).toHaveReceivedOperationsInOrder(['getWallet'])).rejects.toThrow(why);
    await expect(expect(app).not.toHaveReceivedOperation('revertCreditsFromChild')).rejects.toThrow(why);
    // What was found stays found: a received operation is certain even in a truncated journal.
    await expect(app).toHaveReceivedOperation('getWallet');
  });
});

describe('sources', () => {
  it('refuse a value that is not a request source, naming what to pass', async () => {
    await expect(expect({}).toHaveReceivedOperation('getWallet')).rejects.toThrow(
      /needs a request source: a MockApp .* or remoteRequests\(baseUrl\)/,
    );
  });

  it('report a refused admin token over HTTP', async () => {
    await expect(remoteRequests(server.url).requests()).rejects.toThrow(/answered 401/);
  });
});

describe('operation names and answers', () => {
  it('refuses a misspelt operation at run time, also under .not, naming the closest', async () => {
    const app = demoApp();
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', { bearer: 'rs_demo', json: transfer(1) });
    const typo = 'transferCreditToChild' as 'transferCreditsToChild';
    await expect(expect(app).not.toHaveReceivedOperation(typo)).rejects.toThrow(
      /transferCreditToChild is not an operation of this server; did you mean transferCreditsToChild\?/,
    );
    await expect(expect(app).toHaveReceivedOperationTimes(typo, 0)).rejects.toThrow(
      /did you mean transferCreditsToChild/,
    );
    await expect(expect(app).toHaveReceivedOperationsInOrder([typo])).rejects.toThrow(/not an operation/);
    await expect(app).not.toHaveReceivedOperation('revertCreditsFromChild');
  });

  it('toHaveReceivedOperationWith matches status, replay and delivery of the recorded request', async () => {
    const app = demoApp();
    const keyed = { bearer: 'rs_demo', headers: { 'Idempotency-Key': 'm-1' }, json: transfer(1) };
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', keyed);
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', keyed);
    await expect(app).toHaveReceivedOperationWith('transferCreditsToChild', { status: 200, replayed: true });
    await expect(app).toHaveReceivedOperationWith('transferCreditsToChild', {
      requestBody: { minutes: 1 },
      delivered: true,
    });
    await expect(app).not.toHaveReceivedOperationWith('transferCreditsToChild', { status: 409 });
    await expect(
      expect(app).toHaveReceivedOperationWith('transferCreditsToChild', { status: 409 }),
    ).rejects.toThrow(
      /expected a transferCreditsToChild request with \{"status":409\}, but none of 2 requests to it matched\.[\s\S]*-> 200 \(replayed\)/,
    );
    // The body form stays: keys that are not record fields match the request body.
    await expect(app).toHaveReceivedOperationWith('transferCreditsToChild', { minutes: 1 });
  });
});
