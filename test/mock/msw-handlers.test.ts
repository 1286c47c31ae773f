import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../mock/index.js';

const mock = await createHandlers();
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  mock.app.reset();
});
afterAll(() => server.close());

describe('createHandlers under setupServer', () => {
  it("intercepts app code calling the families' documented hosts", async () => {
    const response = await fetch('https://backend.omnidim.io/api/v1/reseller/credits/transfer', {
      method: 'POST',
      headers: { authorization: 'Bearer rs_demo', 'content-type': 'application/json' },
      body: JSON.stringify({ to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 }),
    });
    expect(await response.json()).toMatchObject({ new_from_balance: 59.813, new_to_balance: 14 });
    const wallet = await fetch('https://builder.flowyte.com/api/v1/billing/wallet', {
      headers: { authorization: 'Bearer flowyte_sk_test_demo' },
    });
    expect((await wallet.json()).data.balanceUsd).toBe(50);
  });

  it('shares one ledger between the reference origin and the documented hosts', async () => {
    await fetch('http://localhost:4010/api/white-label/transfer', {
      method: 'POST',
      headers: { authorization: 'Bearer wl_admin_demo', 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 100 }),
    });
    const users = await fetch('https://app.autocalls.ai/api/white-label/users', {
      headers: { authorization: 'Bearer wl_admin_demo' },
    });
    const body = await users.json();
    expect(body.data.find((u: { id: number }) => u.id === 123).minutes_balance).toBe(150.5);
  });

  it('leaves paths outside the families to other handlers, and server.use() overrides per test', async () => {
    server.use(
      http.get('https://builder.flowyte.com/api/v1/agents', () => HttpResponse.json({ agents: [] })),
    );
    const agents = await fetch('https://builder.flowyte.com/api/v1/agents');
    expect(await agents.json()).toEqual({ agents: [] });
  });

  it('turns a reset fault into a network error for the client', async () => {
    mock.app.faults.add({ path: '/api/v1/billing/wallet', kind: 'reset', times: 1 });
    await expect(fetch('https://builder.flowyte.com/api/v1/billing/wallet')).rejects.toThrow();
  });
});
