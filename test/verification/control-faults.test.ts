import { describe, expect, it } from 'vitest';
import { matchesPath } from '../../mock/services/faults.js';
import { controlState, overHttp, TARGETS, target } from './control-targets.js';

const TRANSFER = { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 };
const ORDER = { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 };
const WALLET_READER = 'flowyte_sk_test_demo';

describe('one glob rule for fault paths', () => {
  it('matches a whole-segment * to one segment, and a final * to the rest of the path', () => {
    expect(matchesPath('/api/*/transfer', '/api/white-label/transfer')).toBe(true);
    expect(matchesPath('/api/*/transfer', '/api/v1/reseller/credits/transfer')).toBe(false);
    expect(matchesPath('/api/*/transfer', '/api/white-label/transfers')).toBe(false);
    expect(matchesPath('/api/v1/reseller/*', '/api/v1/reseller/credits/transfer')).toBe(true);
    expect(matchesPath('/api/v1/reseller/*', '/api/v1/reseller')).toBe(false);
    expect(matchesPath('/api/v1/*/credits/*', '/api/v1/reseller/credits/transfer')).toBe(true);
    expect(matchesPath('/api/v1/billing/wallet', '/api/v1/billing/wallet')).toBe(true);
  });
});

describe.each(TARGETS)('faults (%s)', (kind) => {
  it('fires a * in the middle of a path, and refuses a * inside a segment', async () => {
    const server = await target(kind);
    const added = await server.send('POST', '/_mock/faults', {
      json: { method: 'POST', path: '/api/*/transfer', kind: 'status', status: 503, times: 1 },
    });
    expect(added.status).toBe(201);
    const transfer = () =>
      server.send('POST', '/api/white-label/transfer', { bearer: 'wl_admin_demo', json: TRANSFER });
    expect((await transfer()).status).toBe(503);
    expect((await transfer()).status).toBe(200);
    const before = await controlState(server);
    for (const path of ['/api/v1/bill*', '/api/*x/transfer']) {
      const refused = await server.send('POST', '/_mock/faults', { json: { path, kind: 'reset' } });
      expect(refused.status, path).toBe(400);
      expect(refused.body.issues).toEqual([
        { path: 'path', message: expect.stringMatching(/must be a whole segment/) },
      ]);
    }
    expect(await controlState(server)).toEqual(before);
  });

  it("requires each kind's own fields and refuses the others', naming them", async () => {
    const server = await target(kind);
    const before = await controlState(server);
    const path = '/api/v1/billing/wallet';
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ kind: 'status' }, 'status', /is required for kind "status"/],
      [{ kind: 'latency' }, 'delayMs', /is required for kind "latency"/],
      [{ kind: 'latency', ms: 5 }, 'ms', /is not a field/],
      [
        { kind: 'latency', delayMs: 5, retryAfterSeconds: 1 },
        'retryAfterSeconds',
        /applies to status faults only/,
      ],
      [{ kind: 'reset', status: 503 }, 'status', /applies to status faults only/],
      [{ kind: 'status', status: 503, delayMs: 5 }, 'delayMs', /applies to latency faults only/],
      [{ kind: 'status', status: 503, probability: 1.5 }, 'probability', /must be at most 1/],
      [{ kind: 'status', status: 503, times: 0 }, 'times', /must be at least 1/],
      [{ kind: 'status', status: 503, times: 1.5 }, 'times', /must be an integer/],
    ];
    for (const [fields, field, message] of cases) {
      const refused = await server.send('POST', '/_mock/faults', { json: { path, ...fields } });
      expect(refused.status, JSON.stringify(fields)).toBe(400);
      expect(refused.body.issues, JSON.stringify(fields)).toEqual([
        { path: field, message: expect.stringMatching(message) },
      ]);
    }
    expect(await controlState(server)).toEqual(before);
  });

  it('reads a fault back with times as given and remaining; DELETE /_mock/faults/{id} removes one', async () => {
    const server = await target(kind);
    const a = await server.send('POST', '/_mock/faults', {
      json: { path: '/api/v1/billing/wallet', kind: 'status', status: 503, times: 3 },
    });
    const b = await server.send('POST', '/_mock/faults', {
      json: { path: '/api/v1/billing/plans', kind: 'latency', delayMs: 1 },
    });
    expect((await server.send('GET', '/api/v1/billing/wallet', { bearer: WALLET_READER })).status).toBe(503);
    expect((await server.send('GET', '/_mock/faults')).body.faults).toEqual([
      { id: a.body.id, path: '/api/v1/billing/wallet', kind: 'status', status: 503, times: 3, remaining: 2 },
      { id: b.body.id, path: '/api/v1/billing/plans', kind: 'latency', delayMs: 1 },
    ]);
    expect((await server.send('DELETE', `/_mock/faults/${a.body.id}`)).status).toBe(204);
    expect((await server.send('GET', '/api/v1/billing/wallet', { bearer: WALLET_READER })).status).toBe(200);
    expect((await server.send('GET', '/_mock/faults')).body.faults.map((f: { id: string }) => f.id)).toEqual([
      b.body.id,
    ]);
    const unknown = await server.send('DELETE', `/_mock/faults/${a.body.id}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: `No active fault ${a.body.id}; it was never added, was spent, or was removed.`,
    });
  });

  it("answers an injected status as each family's real host would: its 429, 503 and 500", async () => {
    const server = await target(kind);
    const calls = {
      billing: () => server.send('GET', '/api/v1/billing/wallet', { bearer: WALLET_READER }),
      reseller: () =>
        server.send('POST', '/api/v1/reseller/credits/transfer', { bearer: 'rs_demo', json: ORDER }),
      whiteLabel: () =>
        server.send('POST', '/api/white-label/transfer', { bearer: 'wl_admin_demo', json: TRANSFER }),
      creditSend: () =>
        server.send('POST', '/user/login', { json: { email: 'alice@example.com', secret: 'alice-secret' } }),
    };
    const inject = (path: string, status: number, retryAfterSeconds?: number) =>
      server.send('POST', '/_mock/faults', {
        json: {
          path,
          kind: 'status',
          status,
          times: 1,
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        },
      });
    const paths = {
      billing: '/api/v1/billing/*',
      reseller: '/api/v1/reseller/*',
      whiteLabel: '/api/white-label/*',
      creditSend: '/user/login',
    };
    for (const path of Object.values(paths)) await inject(path, 429, 7);
    const billing = await calls.billing();
    expect(billing.status).toBe(429);
    expect(billing.headers['retry-after']).toBe('7');
    expect(billing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(billing.body).toMatchObject({
      status: 429,
      code: 'rate_limited',
      title: 'Too Many Requests',
      type: 'about:blank',
    });
    const reseller = await calls.reseller();
    expect(reseller).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    expect(reseller.body.error_description).toMatch(/retry after 7 seconds/i);
    expect(reseller.headers['retry-after']).toBe('7');
    const whiteLabel = await calls.whiteLabel();
    expect(whiteLabel).toMatchObject({ status: 429, body: { error: 'Too Many Attempts.' } });
    const creditSend = await calls.creditSend();
    expect(creditSend).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });

    for (const status of [503, 500]) {
      for (const path of Object.values(paths)) await inject(path, status);
      expect((await calls.billing()).body).toMatchObject({
        status,
        code: status === 503 ? 'service_unavailable' : 'server_error',
      });
      expect((await calls.reseller()).body.error).toBe(
        status === 503 ? 'service_unavailable' : 'server_error',
      );
      expect((await calls.whiteLabel()).body).toEqual({
        error: status === 503 ? 'Service Unavailable' : 'Server Error',
      });
      expect((await calls.creditSend()).body.error.code).toBe(
        status === 503 ? 'service_unavailable' : 'server_error',
      );
    }
    // A 401 is the family's own answer to a bad key, word for word.
    const badKey = await server.send('POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_nope',
      json: ORDER,
    });
    await inject('/api/v1/reseller/*', 401);
    expect((await calls.reseller()).body).toEqual(badKey.body);
    await inject('/api/white-label/*', 401);
    expect((await calls.whiteLabel()).body).toEqual({ message: 'Unauthenticated.' });
  });
});

describe('a deleted sandbox', () => {
  it("answers its family paths 404 in that family's shape, its control paths in the control shape", async () => {
    const server = await target('HTTP');
    const made = await server.send('POST', '/_mock/sandboxes', { json: {} });
    const base: string = made.body.baseUrl;
    expect((await server.send('DELETE', `/_mock/sandboxes/${made.body.id}`)).status).toBe(204);
    const billing = await overHttp(base, 'GET', '/api/v1/billing/wallet', { bearer: WALLET_READER });
    expect(billing.status).toBe(404);
    expect(billing.body).toMatchObject({ status: 404, code: 'not_found' });
    expect(billing.body.detail).toMatch(/No sandbox sbx_/);
    const reseller = await overHttp(base, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: ORDER,
    });
    expect(reseller).toMatchObject({ status: 404, body: { error: 'not_found' } });
    const creditSend = await overHttp(base, 'POST', '/user/login', { json: {} });
    expect(creditSend).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const control = await overHttp(base, 'GET', '/_mock/state');
    expect(control.status).toBe(404);
    expect(control.body).toEqual({ error: expect.stringMatching(/^No sandbox sbx_/) });
  });
});
