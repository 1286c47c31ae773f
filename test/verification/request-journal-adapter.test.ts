import { describe, expect, it } from 'vitest';
import { demoApp, requestOf } from '../mock/support.js';

// What the journal keeps when the adapter cannot list every header (it can only look them up by
// name), and where it says the request was sent: the adapter's origin, then a sandbox's base path.

const known = {
  authorization: 'Bearer flowyte_sk_test_demo',
  token: 'tok_abcdefghijkl',
  'content-type': 'application/json',
  'idempotency-key': 'k-7',
  accept: 'application/json',
  'user-agent': 'ci/1.0',
};

describe('the journal of an adapter that only looks headers up', () => {
  it('keeps each known header it can look up, credentials masked, and no query', async () => {
    const app = demoApp();
    const { rawHeaders: _all, ...request } = requestOf('GET', '/api/v1/billing/usage', {
      headers: { ...known, 'x-trace': 'trace-7' },
    });
    await app.handle(request);
    const [record] = app.requests().requests;
    expect(record?.requestHeaders).toEqual({
      authorization: 'Bearer flow***',
      token: 'tok_***',
      'content-type': 'application/json',
      'idempotency-key': 'k-7',
      accept: 'application/json',
      'user-agent': 'ci/1.0',
    });
    expect(record?.query).toBe('');
  });

  it('keeps none when it is sent none', async () => {
    const app = demoApp();
    const { rawHeaders: _all, ...request } = requestOf('GET', '/favicon.ico');
    await app.handle(request);
    expect(app.requests().requests[0]?.requestHeaders).toEqual({});
  });
});

describe('the HAR of a request', () => {
  it("gives the adapter's origin and base path before the path", async () => {
    const app = demoApp();
    await app.handle({
      ...requestOf('GET', '/favicon.ico'),
      origin: 'https://mock.example',
      basePath: '/base',
    });
    expect(app.requestsHar().log.entries[0]?.request.url).toBe('https://mock.example/base/favicon.ico');
  });

  it('gives the default host and the bare path when the adapter knows neither', async () => {
    const app = demoApp();
    await app.handle(requestOf('GET', '/favicon.ico'));
    expect(app.requestsHar().log.entries[0]?.request.url).toBe('http://localhost:4010/favicon.ico');
  });
});
