import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../mock/index.js';
import { request, startServer } from './support.js';

// The request journal over real HTTP, in a sandbox and under MSW: every request that reached the
// server (also 404s outside every family), its headers with credentials masked, the id of its
// `x-request-id`, and the answer a reset-after-commit committed but never delivered.

const transfer = { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 };

async function journalOf(base: string, query = '') {
  const listed = await request(base, 'GET', `/_mock/requests${query}`);
  expect(listed.status).toBe(200);
  return listed.body as {
    requests: {
      id: string;
      requestHeaders: Record<string, string>;
      responseHeaders: Record<string, string>;
      [field: string]: unknown;
    }[];
    evicted: number;
  };
}

describe.each(['server', 'sandbox'] as const)('over HTTP, in the %s', (where) => {
  async function base(): Promise<string> {
    const server = await startServer();
    if (where === 'server') return server.url;
    const created = await request(server.url, 'POST', '/_mock/sandboxes', { json: {} });
    return created.body.baseUrl as string;
  }

  it('records an unrouted request with its status and no operation, under the id of its x-request-id', async () => {
    const url = await base();
    const answer = await fetch(`${url}/nowhere/at/all?x=1`);
    expect(answer.status).toBe(404);
    const id = answer.headers.get('x-request-id');
    expect(id).toMatch(/^req_\d{6,}$/);
    const { requests } = await journalOf(url);
    expect(requests).toMatchObject([
      {
        id,
        method: 'GET',
        path: '/nowhere/at/all',
        query: 'x=1',
        operationId: null,
        family: null,
        status: 404,
      },
    ]);
  });

  it('keeps every request header with the credentials masked', async () => {
    const url = await base();
    const secret = `Bearer rs_demo${'x'.repeat(14 * 1024)}`;
    const answer = await fetch(`${url}/api/v1/reseller/credits/logs`, {
      headers: { authorization: secret, 'x-trace-id': 'trace-42', cookie: 'session=secret-session-value' },
    });
    expect(answer.status).toBe(401);
    const { requests } = await journalOf(url);
    expect(requests[0]).toMatchObject({
      id: answer.headers.get('x-request-id'),
      credential: 'Bearer rs_d***',
      requestHeaders: { authorization: 'Bearer rs_d***', cookie: 'sess***', 'x-trace-id': 'trace-42' },
    });
    expect(requests[0]?.requestHeaders.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(JSON.stringify(requests)).not.toContain('secret-session-value');
  });

  it('records the answer a reset-after-commit committed, as never delivered', async () => {
    const url = await base();
    const fault = await request(url, 'POST', '/_mock/faults', {
      json: {
        method: 'POST',
        path: '/api/v1/reseller/credits/transfer',
        kind: 'reset-after-commit',
        times: 1,
      },
    });
    expect(fault.status).toBe(201);
    await expect(
      fetch(`${url}/api/v1/reseller/credits/transfer`, {
        method: 'POST',
        headers: { authorization: 'Bearer rs_demo', 'content-type': 'application/json' },
        body: JSON.stringify(transfer),
      }),
    ).rejects.toThrow();
    const { requests } = await journalOf(url);
    expect(requests[0]).toMatchObject({
      operationId: 'transferCreditsToChild',
      status: 200,
      responseBody: { success: true, new_to_balance: 10.2 },
      delivered: false,
      fault: { id: fault.body.id, kind: 'reset-after-commit' },
    });
    expect(requests[0]?.responseHeaders['x-request-id']).toBe(requests[0]?.id);
  });
});

describe('under MSW', () => {
  it('records the headers and the id the client got', async () => {
    const mock = await createHandlers();
    const server = setupServer(...mock.handlers);
    server.listen({ onUnhandledRequest: 'bypass' });
    try {
      const answer = await fetch('http://localhost:4010/api/v1/billing/wallet', {
        headers: { authorization: 'Bearer flowyte_sk_test_demo', 'x-trace-id': 'msw-1' },
      });
      expect(answer.status).toBe(200);
      const [record] = mock.app.requests().requests;
      expect(record).toMatchObject({
        id: answer.headers.get('x-request-id'),
        requestHeaders: { authorization: 'Bearer flow***', 'x-trace-id': 'msw-1' },
        responseHeaders: { 'x-request-id': answer.headers.get('x-request-id') },
        delivered: true,
      });
    } finally {
      server.close();
    }
  });
});
