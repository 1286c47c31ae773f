import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient, ServerError } from '../../src/index.js';
import { request, startServer } from './support.js';

// Sandboxes: each a whole reference server under its own base URL. Two SDK clients hammer two
// sandboxes at once; nothing of one (balances, journal, requests, faults, clock, keys) shows in the
// other or in the default state. Control routes go through request() (and so through Prism in the
// contract suite); calls under a sandbox's base URL go straight to the server.

const order = (minutes: number) => ({ to_organization_id: 4002, minutes, cost_per_min: 0.2 });

async function sandbox(url: string, body: unknown = {}) {
  const created = await request(url, 'POST', '/_mock/sandboxes', { json: body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; baseUrl: string; expiresAt: string };
}

async function control(base: string, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = token ? { 'x-mock-admin-token': token } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields.
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}

const child = async (base: string) =>
  (await control(base, 'GET', '/_mock/state')).body.accounts.find(
    (a: { id: string }) => a.id === 'reseller:organization:4002',
  ).balances.usd;

describe('sandboxes', () => {
  it('keep two concurrent SDK clients apart from each other and from the default state', async () => {
    const { url } = await startServer();
    const [a, b] = [await sandbox(url), await sandbox(url)];
    expect(a.baseUrl).toBe(`${url}/_mock/sandboxes/${a.id}`);
    const client = (baseUrl: string) =>
      createClient({ baseUrl, credentials: { reseller: { apiKey: 'rs_demo' } }, retry: false });
    const [inA, inB] = [client(a.baseUrl), client(b.baseUrl)];
    // The same Idempotency-Key in both: each sandbox has its own key store, so both commit.
    const key = { idempotencyKey: 'same-key-in-both' };
    await Promise.all([
      ...Array.from({ length: 10 }, () => inA.reseller.transfer(order(1))),
      ...Array.from({ length: 5 }, () => inB.reseller.transfer(order(2))),
      inA.reseller.transfer(order(3), key),
      inB.reseller.transfer(order(4), key),
    ]);
    expect(await child(a.baseUrl)).toBe(12.6); // 10 + 10 x 0.2 + 3 x 0.2
    expect(await child(b.baseUrl)).toBe(12.8); // 10 + 5 x 0.4 + 4 x 0.2
    expect(await child(url)).toBe(10);

    // Every view of each sandbox holds its own requests only.
    for (const [base, count, minutes] of [
      [a.baseUrl, 11, [1, 3]],
      [b.baseUrl, 6, [2, 4]],
    ] as const) {
      const requests = (await control(base, 'GET', '/_mock/requests')).body.requests;
      expect(requests).toHaveLength(count);
      expect(
        new Set(requests.map((r: { requestBody: { minutes: number } }) => r.requestBody.minutes)),
      ).toEqual(new Set(minutes));
      const journal = (await control(base, 'GET', '/_mock/journal?family=reseller&limit=100')).body.entries;
      expect(journal.filter((e: { operationId: string }) => e.operationId !== 'opening')).toHaveLength(count);
      expect((await control(base, 'GET', '/_mock/invariants')).body.ok).toBe(true);
    }
    expect((await request(url, 'GET', '/_mock/requests')).body.requests).toEqual([]);
  });

  it('keep faults, clock and resets to themselves', async () => {
    const { url } = await startServer();
    const [a, b] = [await sandbox(url), await sandbox(url)];
    const fault = { path: '/api/v1/reseller/credits/transfer', kind: 'status', status: 503 };
    expect((await control(a.baseUrl, 'POST', '/_mock/faults', fault)).status).toBe(201);
    expect((await control(a.baseUrl, 'POST', '/_mock/clock', { now: '2030-01-01T00:00:00Z' })).status).toBe(
      200,
    );
    const inA = createClient({
      baseUrl: a.baseUrl,
      credentials: { reseller: { apiKey: 'rs_demo' } },
      retry: false,
    });
    const inB = createClient({
      baseUrl: b.baseUrl,
      credentials: { reseller: { apiKey: 'rs_demo' } },
      retry: false,
    });
    await expect(inA.reseller.transfer(order(1))).rejects.toBeInstanceOf(ServerError);
    await expect(inB.reseller.transfer(order(1))).resolves.toMatchObject({ new_to_balance: 10.2 });
    expect((await control(b.baseUrl, 'GET', '/_mock/faults')).body.faults).toEqual([]);
    expect((await control(b.baseUrl, 'GET', '/_mock/state')).body.now).not.toMatch(/^2030/);
    expect((await request(url, 'GET', '/_mock/faults')).body.faults).toEqual([]);
    expect((await control(b.baseUrl, 'POST', '/_mock/reset')).status).toBe(200);
    expect(await child(b.baseUrl)).toBe(10);
    expect((await control(a.baseUrl, 'GET', '/_mock/faults')).body.faults).toHaveLength(1);
  });

  it('start from the given seed, and refuse an invalid one creating nothing', async () => {
    const { url } = await startServer();
    const seed = {
      reseller: {
        resellers: [
          {
            apiKey: 'rs_sandbox',
            organizationId: 1,
            name: 'S',
            balance: 5,
            resellerRate: 0.1,
            children: [{ organizationId: 2, name: 'C', balance: 0, costPerMin: 0.2 }],
          },
        ],
      },
    };
    const made = await sandbox(url, { seed });
    const accounts = (await control(made.baseUrl, 'GET', '/_mock/state')).body.accounts;
    expect(accounts.map((a: { id: string }) => a.id)).toContain('reseller:organization:2');
    expect(accounts.map((a: { id: string }) => a.id)).not.toContain('reseller:organization:4002');
    const bad = await request(url, 'POST', '/_mock/sandboxes', {
      json: { seed: { reseller: { resellers: 'x' } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/reseller/);
    expect((await request(url, 'GET', '/_mock/sandboxes')).body.sandboxes).toHaveLength(1);
  });

  it('are listed, ended by DELETE, and answer 404 afterwards', async () => {
    const { url } = await startServer();
    const made = await sandbox(url);
    const listed = await request(url, 'GET', '/_mock/sandboxes');
    expect(listed.body.sandboxes).toEqual([
      { id: made.id, baseUrl: made.baseUrl, expiresAt: expect.any(String) },
    ]);
    expect((await request(url, 'DELETE', `/_mock/sandboxes/${made.id}`)).status).toBe(204);
    const gone = await control(made.baseUrl, 'GET', '/_mock/state');
    expect(gone).toEqual({
      status: 404,
      body: { error: expect.stringMatching(/^No sandbox sbx_\w+; it was deleted or expired/) },
    });
    expect((await request(url, 'DELETE', `/_mock/sandboxes/${made.id}`)).status).toBe(404);
  });

  it('are capped, and expire after the idle time', async () => {
    let nowMs = Date.parse('2025-06-01T12:00:00Z');
    const { url } = await startServer({ sandboxes: { maxSandboxes: 2, idleMs: 60_000, now: () => nowMs } });
    const first = await sandbox(url);
    await sandbox(url);
    const full = await request(url, 'POST', '/_mock/sandboxes', { json: {} });
    expect(full.status).toBe(429);
    expect(full.body.error).toMatch(/At most 2 sandboxes/);
    nowMs += 30_000;
    await control(first.baseUrl, 'GET', '/_mock/state'); // using it keeps it alive
    nowMs += 45_000;
    expect(
      (await request(url, 'GET', '/_mock/sandboxes')).body.sandboxes.map((s: { id: string }) => s.id),
    ).toEqual([first.id]);
    expect((await request(url, 'POST', '/_mock/sandboxes', { json: {} })).status).toBe(201);
  });

  it('survive a restart with a state file, and an expiry behind the admin token is saved too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-sandboxes-'));
    try {
      let nowMs = Date.parse('2025-06-01T12:00:00Z');
      const options = {
        stateFile: join(dir, 'state.json'),
        adminToken: 'secret',
        sandboxes: { idleMs: 60_000, now: () => nowMs },
      };
      const first = await startServer(options);
      const made = await control(first.url, 'POST', '/_mock/sandboxes', {}, 'secret');
      const inSandbox = createClient({
        baseUrl: made.body.baseUrl,
        credentials: { reseller: { apiKey: 'rs_demo' } },
        retry: false,
      });
      await inSandbox.reseller.transfer(order(5));
      await first.close();

      const second = await startServer(options);
      const base = `${second.url}/_mock/sandboxes/${made.body.id}`;
      const state = await control(base, 'GET', '/_mock/state', undefined, 'secret');
      const usd = state.body.accounts.find((a: { id: string }) => a.id === 'reseller:organization:4002');
      expect(usd.balances.usd).toBe(11); // 10 + 5 x 0.2, and nothing in the server's own books
      expect((await control(second.url, 'GET', '/_mock/state', undefined, 'secret')).status).toBe(200);
      nowMs += 60_001;
      const listed = await control(second.url, 'GET', '/_mock/sandboxes', undefined, 'secret');
      expect(listed.body.sandboxes).toEqual([]);
      await second.close();

      const third = await startServer(options);
      expect(
        (await control(third.url, 'GET', '/_mock/sandboxes', undefined, 'secret')).body.sandboxes,
      ).toEqual([]);
      await third.close(); // before its folder goes; close() is idempotent, so afterEach just waits
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('honour the admin token on their /_mock paths and do not nest', async () => {
    const { url } = await startServer({ adminToken: 'secret' });
    const made = await request(url, 'POST', '/_mock/sandboxes', {
      json: {},
      headers: { 'x-mock-admin-token': 'secret' },
    });
    const base = made.body.baseUrl as string;
    expect((await control(base, 'GET', '/_mock/state')).status).toBe(401);
    expect((await control(base, 'GET', '/_mock/state', undefined, 'secret')).status).toBe(200);
    const nested = await control(base, 'POST', '/_mock/sandboxes', {}, 'secret');
    expect(nested.status).toBe(400);
    expect(nested.body.error).toMatch(/do not nest/);
    const wallet = await fetch(`${base}/api/v1/billing/wallet`, {
      headers: { authorization: 'Bearer flowyte_sk_test_demo' },
    });
    expect(wallet.status).toBe(200);
  });
});
