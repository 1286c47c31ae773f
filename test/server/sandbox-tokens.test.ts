import { describe, expect, it } from 'vitest';
import { remoteRequests } from '../../mock/matchers.js';
import { createClient } from '../../src/index.js';
import { request, startServer } from './support.js';

// One server shared by teams (docs/reference-server.md, "Share one server between teams"): each
// team's sandbox token steers its own sandbox and reaches nothing else; the admin token reaches
// everything. Every boundary is crossed once with the wrong token and checked to change nothing.

const ADMIN = 'admin-secret';
const order = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };

interface Made {
  id: string;
  baseUrl: string;
  token: string;
}

async function send(url: string, method: string, path: string, token?: string, json?: unknown) {
  return request(url, method, path, {
    ...(token === undefined ? {} : { headers: { 'x-mock-admin-token': token } }),
    ...(json === undefined ? {} : { json }),
  });
}

async function create(url: string, token: string | undefined = ADMIN, json: unknown = {}): Promise<Made> {
  const made = await send(url, 'POST', '/_mock/sandboxes', token, json);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body as Made;
}

const under = (made: Made, path: string) => `/_mock/sandboxes/${made.id}${path}`;

describe('sandbox tokens', () => {
  it("answer each create a token of the sandbox's own that no other answer shows", async () => {
    const { url } = await startServer({ adminToken: ADMIN });
    const [a, b] = [await create(url), await create(url, ADMIN, { label: 'team b' })];
    expect(a.token).toMatch(/^sbt_[0-9a-f]{32}$/);
    expect(b.token).toMatch(/^sbt_[0-9a-f]{32}$/);
    expect(a.token).not.toBe(b.token);
    const listed = await send(url, 'GET', '/_mock/sandboxes', ADMIN);
    const one = await send(url, 'GET', `/_mock/sandboxes/${b.id}`, b.token);
    expect(one.body).toEqual({
      id: b.id,
      baseUrl: b.baseUrl,
      label: 'team b',
      expiresAt: expect.any(String),
    });
    expect(JSON.stringify([listed.body, one.body])).not.toMatch(/sbt_/);
  });

  it("reach that sandbox's own /_mock paths: state, faults, clock, reset, requests, invariants", async () => {
    const { url } = await startServer({ adminToken: ADMIN });
    const a = await create(url);
    expect((await send(url, 'GET', under(a, '/_mock/state'))).status).toBe(401);
    expect((await send(url, 'GET', under(a, '/_mock/state'), 'sbt_0123')).status).toBe(401);
    expect((await send(url, 'GET', under(a, '/_mock/state'), a.token)).status).toBe(200);
    const fault = { method: 'POST', path: '/api/v1/reseller/credits/transfer', kind: 'status', status: 503 };
    expect((await send(url, 'POST', under(a, '/_mock/faults'), a.token, fault)).status).toBe(201);
    const clock = await send(url, 'POST', under(a, '/_mock/clock'), a.token, { now: '2030-01-01T00:00:00Z' });
    expect(clock.status).toBe(200);
    for (const path of ['/_mock/requests', '/_mock/invariants', '/_mock/journal', '/_mock/clock'])
      expect((await send(url, 'GET', under(a, path), a.token)).status, path).toBe(200);
    expect((await send(url, 'POST', under(a, '/_mock/reset'), a.token)).status).toBe(200);
    // The admin token reaches the sandbox too.
    expect((await send(url, 'GET', under(a, '/_mock/faults'), ADMIN)).status).toBe(200);
  });

  it('do not reach another sandbox: its paths, reading it or ending it', async () => {
    const { url } = await startServer({ adminToken: ADMIN });
    const [a, b] = [await create(url), await create(url)];
    const refused = await send(url, 'GET', under(b, '/_mock/state'), a.token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatch(/admin token or this sandbox's token/);
    const fault = { method: 'GET', path: '/api/v1/billing/wallet', kind: 'status', status: 500 };
    expect((await send(url, 'POST', under(b, '/_mock/faults'), a.token, fault)).status).toBe(401);
    expect((await send(url, 'POST', under(b, '/_mock/reset'), a.token)).status).toBe(401);
    expect((await send(url, 'GET', `/_mock/sandboxes/${b.id}`, a.token)).status).toBe(401);
    const ended = await send(url, 'DELETE', `/_mock/sandboxes/${b.id}`, a.token);
    expect(ended.status).toBe(401);
    expect(ended.body.error).toContain(`sandbox ${b.id}'s token`);
    // An encoded id names the same sandbox to the check as to the handler.
    const encoded = `/_mock/sandboxes/${encodeURIComponent(b.id).replace('_', '%5F')}`;
    expect((await send(url, 'DELETE', encoded, a.token)).status).toBe(401);
    // Nothing changed in b.
    expect((await send(url, 'GET', under(b, '/_mock/faults'), b.token)).body).toEqual({ faults: [] });
    expect((await send(url, 'GET', `/_mock/sandboxes/${b.id}`, b.token)).status).toBe(200);
  });

  it("do not reach the default state's control routes nor the sandbox list, and creating takes the admin token", async () => {
    const { url } = await startServer({ adminToken: ADMIN });
    const a = await create(url);
    const before = await send(url, 'GET', '/_mock/state', ADMIN);
    for (const [method, path, body] of [
      ['GET', '/_mock/state'],
      ['POST', '/_mock/reset', {}],
      ['POST', '/_mock/clock', { advanceSeconds: 60 }],
      [
        'POST',
        '/_mock/faults',
        { method: 'GET', path: '/api/v1/billing/wallet', kind: 'status', status: 500 },
      ],
      ['GET', '/_mock/requests'],
      ['DELETE', '/_mock/requests'],
    ] as const) {
      const answer = await send(url, method, path, a.token, body);
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.body.error).toMatch(/a sandbox's token reaches only/);
    }
    const list = await send(url, 'GET', '/_mock/sandboxes', a.token);
    expect(list.status).toBe(401);
    expect(list.body.error).toMatch(/listing sandboxes/);
    const made = await send(url, 'POST', '/_mock/sandboxes', a.token, {});
    expect(made.status).toBe(401);
    expect(made.body.error).toMatch(/--sandbox-creation open/);
    expect((await send(url, 'GET', '/_mock/state', ADMIN)).body.accounts).toEqual(before.body.accounts);
    expect((await send(url, 'GET', '/_mock/faults', ADMIN)).body).toEqual({ faults: [] });
    expect((await send(url, 'GET', '/_mock/sandboxes', ADMIN)).body.sandboxes).toHaveLength(1);
  });

  it('end their own sandbox, after which its paths answer 404 to anyone', async () => {
    const { url } = await startServer({ adminToken: ADMIN });
    const a = await create(url);
    expect((await send(url, 'DELETE', `/_mock/sandboxes/${a.id}`, a.token)).status).toBe(204);
    expect((await send(url, 'GET', under(a, '/_mock/state'), a.token)).status).toBe(404);
    expect((await send(url, 'GET', `/_mock/sandboxes/${a.id}`, a.token)).status).toBe(404);
    expect((await send(url, 'GET', '/_mock/sandboxes/sbx_000000000000')).status).toBe(404);
  });

  it('let anyone create a sandbox with --sandbox-creation open, and still nothing more', async () => {
    const { url } = await startServer({ adminToken: ADMIN, sandboxes: { creation: 'open' } });
    const a = await create(url, undefined);
    expect((await send(url, 'GET', under(a, '/_mock/state'), a.token)).status).toBe(200);
    expect((await send(url, 'GET', '/_mock/sandboxes')).status).toBe(401);
    expect((await send(url, 'GET', '/_mock/state', a.token)).status).toBe(401);
  });

  it('are answered without an admin token too, where every route stays open', async () => {
    const { url } = await startServer();
    const a = await create(url, undefined);
    expect(a.token).toMatch(/^sbt_/);
    expect((await send(url, 'GET', '/_mock/state')).status).toBe(200);
    expect((await send(url, 'GET', under(a, '/_mock/state'))).status).toBe(200);
  });

  it('are never written to the request journal nor to the request log', async () => {
    const logged: string[] = [];
    const { url } = await startServer({
      adminToken: ADMIN,
      onRequest: (entry) => logged.push(`${entry.method} ${entry.path} ${entry.status}`),
    });
    const a = await create(url);
    const client = createClient({ baseUrl: a.baseUrl, credentials: { reseller: { apiKey: 'rs_demo' } } });
    await client.reseller.transfer(order, { idempotencyKey: 'journal-check' });
    // A family call that carries the token anyway: the journal keeps the header masked.
    const wallet = await request(a.baseUrl, 'GET', '/api/v1/billing/wallet', {
      bearer: 'flowyte_sk_test_demo',
      headers: { 'x-mock-admin-token': a.token },
    });
    expect(wallet.status).toBe(200);
    const journals = [
      await send(url, 'GET', '/_mock/requests', ADMIN),
      await send(url, 'GET', '/_mock/requests/har', ADMIN),
      await send(url, 'GET', under(a, '/_mock/requests'), a.token),
      await send(url, 'GET', under(a, '/_mock/requests/har'), a.token),
    ];
    for (const journal of journals) expect(journal.status).toBe(200);
    const sandboxJournal = journals[2]?.body as { requests: unknown[] };
    expect(sandboxJournal.requests.length).toBeGreaterThanOrEqual(2);
    const everything = JSON.stringify([journals.map((j) => j.body), logged]);
    expect(everything).not.toContain(a.token);
    expect(everything).not.toContain(a.token.slice(4, 20));
  });

  it("are what remoteRequests needs to read a sandbox's journal over HTTP", async () => {
    const { url } = await startServer({ adminToken: ADMIN });
    const a = await create(url);
    const client = createClient({ baseUrl: a.baseUrl, credentials: { reseller: { apiKey: 'rs_demo' } } });
    await client.reseller.transfer(order);
    const page = await remoteRequests(a.baseUrl, { adminToken: a.token }).requests({
      operationId: 'transferCreditsToChild',
    });
    expect(page.requests).toHaveLength(1);
    await expect(remoteRequests(url, { adminToken: a.token }).requests()).rejects.toThrow(/answered 401/);
  });
});
