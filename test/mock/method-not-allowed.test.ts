import { describe, expect, it } from 'vitest';
import { call, demoApp } from './support.js';

// Every family answers a known path with a wrong method 405 with the methods the path takes in
// `Allow` (RFC 9110; the reseller errors page documents it), in the family's own error shape.
describe('405 Method Not Allowed', () => {
  it.each([
    ['white-label', 'DELETE', '/api/white-label/transfer', 'POST'],
    ['white-label', 'POST', '/api/white-label/users', 'GET, HEAD'],
    ['reseller', 'PUT', '/api/v1/reseller/credits/transfer', 'POST'],
    ['credit-send', 'GET', '/credits/send', 'POST'],
    ['billing', 'DELETE', '/api/v1/billing/subscription', 'GET, HEAD, POST'],
    ['control', 'PATCH', '/_mock/reset', 'POST'],
  ])('%s: %s %s lists %s', async (_, method, path, allow) => {
    const app = demoApp();
    const res = await call(app, method, path, {});
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
  });

  it('sends no Allow with a 404', async () => {
    const res = await call(demoApp(), 'GET', '/api/v1/billing/nothing-here', {});
    expect(res.status).toBe(404);
    expect(res.headers.allow).toBeUndefined();
  });
});
