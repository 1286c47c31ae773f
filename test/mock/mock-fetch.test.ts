import { afterEach, describe, expect, it } from 'vitest';
import { createMockFetch } from '../../mock/index.js';
import { ConnectionError, createClient, InsufficientBalanceError, ServerError } from '../../src/index.js';

const mock = createMockFetch();
afterEach(() => mock.app.reset());

const credentials = { whiteLabel: { apiKey: 'wl_admin_demo' }, reseller: { apiKey: 'rs_demo' } } as const;
const client = createClient({
  fetch: mock.fetch,
  credentials,
  retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
});
const addMinutes = (amount: number) =>
  client.whiteLabel.transfer({ user_id: 123, transfer_type: 'minutes', operation: 'add', amount });
/** User 123's minutes, read through the API. */
const userMinutes = async () =>
  (await client.whiteLabel.listUsers()).data.find((user) => user.id === 123)?.minutes_balance;

describe('createMockFetch', () => {
  it('serves SDK calls at the documented hosts, with the journal and ledger of the HTTP server', async () => {
    const result = await addMinutes(100);
    expect(result.user.minutes_balance).toBe(150.5);
    const transfer = await client.reseller.transfer({
      to_organization_id: 4002,
      minutes: 20,
      cost_per_min: 0.2,
    });
    expect(transfer).toMatchObject({ new_from_balance: 59.813, new_to_balance: 14 });
    const { requests } = mock.app.requests();
    expect(requests.map((request) => [request.operationId, request.status])).toEqual([
      ['transferCreditsToChild', 200],
      ['transferWhiteLabelBalance', 200],
    ]);
    await expect(addMinutes(5000)).rejects.toBeInstanceOf(InsufficientBalanceError);
  });

  it('answers the reference origin and the control API like the HTTP server', async () => {
    const state = await mock.fetch('http://localhost:4010/_mock/state');
    expect(state.status).toBe(200);
    expect(state.headers.get('content-type')).toMatch(/^application\/json/);
    const unknown = await mock.fetch('http://localhost:4010/api/nowhere');
    expect(unknown.status).toBe(404);
    const head = await mock.fetch('http://localhost:4010/_mock/state', { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('applies status faults, and a dropped connection rejects like a network error', async () => {
    mock.app.faults.add({ path: '/api/white-label/transfer', kind: 'status', status: 503 });
    await expect(addMinutes(1)).rejects.toBeInstanceOf(ServerError);
    mock.app.faults.clear();

    mock.app.faults.add({ path: '/api/white-label/transfer', kind: 'reset', times: 1 });
    const raw = mock.fetch('https://app.autocalls.ai/api/white-label/transfer', {
      method: 'POST',
      headers: { authorization: 'Bearer wl_admin_demo', 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 }),
    });
    await expect(raw).rejects.toBeInstanceOf(TypeError);
    expect(await userMinutes()).toBe(50.5); // `reset` drops the connection before the operation runs

    mock.app.faults.add({ path: '/api/white-label/transfer', kind: 'reset-after-commit', times: 1 });
    const lost = await addMinutes(10).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(ConnectionError);
    expect(await userMinutes()).toBe(60.5); // committed, only the answer was lost
  });

  it('waits out latency faults and gives up with the caller when its signal fires', async () => {
    mock.app.faults.add({ path: '/api/white-label/users', kind: 'latency', delayMs: 50, times: 1 });
    const slow = await mock.fetch('http://localhost:4010/api/white-label/users', {
      headers: { authorization: 'Bearer wl_admin_demo' },
    });
    expect(slow.status).toBe(200);

    mock.app.faults.add({ path: '/api/white-label/users', kind: 'latency', delayMs: 60_000, times: 1 });
    const controller = new AbortController();
    const pending = mock.fetch('http://localhost:4010/api/white-label/users', {
      headers: { authorization: 'Bearer wl_admin_demo' },
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses bodies over 64 KiB with 413 in the family shape, changing nothing', async () => {
    const answer = await mock.fetch('http://localhost:4010/api/white-label/transfer', {
      method: 'POST',
      headers: { authorization: 'Bearer wl_admin_demo', 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(70_000) }),
    });
    expect(answer.status).toBe(413);
    expect(await userMinutes()).toBe(50.5);
  });

  it('serves sandboxes under their base URL with their own books', async () => {
    const created = await mock.fetch('http://localhost:4010/_mock/sandboxes', { method: 'POST' });
    const { baseUrl } = (await created.json()) as { baseUrl: string };
    const sandboxed = createClient({ baseUrl, fetch: mock.fetch, credentials });
    const result = await sandboxed.whiteLabel.transfer({
      user_id: 123,
      transfer_type: 'minutes',
      operation: 'add',
      amount: 1,
    });
    expect(result.user.minutes_balance).toBe(51.5);
    expect(await userMinutes()).toBe(50.5);
  });

  it('passes other origins to the fetch it replaced, so it can stand in for the global fetch', async () => {
    const seen: string[] = [];
    const own = createMockFetch({
      passthrough: async (input) => {
        seen.push(input instanceof Request ? input.url : String(input));
        return new Response('elsewhere');
      },
    });
    expect(await (await own.fetch('https://example.com/page')).text()).toBe('elsewhere');
    expect(seen).toEqual(['https://example.com/page']);
    const only = createMockFetch({
      origins: ['http://api.test'],
      passthrough: async () => new Response('no'),
    });
    expect((await only.fetch('http://api.test/_mock/state')).status).toBe(200);
    expect(await (await only.fetch('http://localhost:4010/_mock/state')).text()).toBe('no');
  });
});
