import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../mock/index.js';
import { request, startServer } from './support.js';

describe('the standalone server answers every family over HTTP', () => {
  it('gives the seed pages their example figures', async () => {
    const { url, app } = await startServer();
    const wl = await request(url, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_demo',
      json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 100 },
    });
    expect(wl.status).toBe(200);
    expect(wl.body.user.minutes_balance).toBe(150.5);
    expect(wl.body.your_balance.minutes).toBe(850.5);

    const credits = await request(url, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_credits_demo',
      json: { email: 'user@example.com', transfer_type: 'credits', operation: 'add', amount: 500 },
    });
    expect(credits.body.user).toMatchObject({ minutes_balance: 0, credits_balance: 500 });
    expect(credits.body.your_balance.minutes).toBe(944.44);

    const rs = await request(url, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 },
    });
    expect(rs.body).toEqual({
      success: true,
      message: 'Credits allocated successfully',
      new_from_balance: 59.813,
      new_to_balance: 14,
    });

    const login = await request(url, 'POST', '/user/login', {
      json: { email: 'ada@example.com', secret: 's3cret-ada', ttl: '3600' },
    });
    const sent = await request(url, 'POST', '/credits/send', {
      headers: { token: login.body.data.token },
      json: { user: 11, credits: 2 },
    });
    expect(sent.body).toEqual({ status: 'OK', data: { your_new_balance: 97, user_new_balance: 2 } });

    const wallet = await request(url, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    expect(wallet.body.data.balanceUsd).toBe(50);
    expect(checkInvariants(app.world.ledger)).toEqual([]);
  });

  it('allocates concurrency slots and lists them in the logs and organizations (reseller)', async () => {
    const { url, app } = await startServer();
    const bearer = 'rs_demo';
    const set = await request(url, 'POST', '/api/v1/reseller/concurrency', {
      bearer,
      json: { child_organization_id: 4002, new_limit: 5 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ child_limit: 5, reseller_available: 7 });
    const short = await request(url, 'POST', '/api/v1/reseller/concurrency', {
      bearer,
      json: { child_organization_id: 4002, new_limit: 50 },
    });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ error: 'insufficient_concurrency', reseller_available: 7 });
    await request(url, 'POST', '/api/v1/reseller/users/add', {
      bearer,
      json: {
        name: 'Http',
        email: 'http@example.com',
        phone: '+15550100',
        password: 'long-enough',
        concurrent_call_limit: 1,
      },
    });
    const logs = await request(url, 'GET', '/api/v1/reseller/credits/logs', { bearer });
    expect(logs.body.data.logs.map((l: { transaction_type: string }) => l.transaction_type)).toEqual([
      'concurrency_change',
      'concurrency_change',
    ]);
    const orgs = await request(url, 'GET', '/api/v1/reseller/organizations', { bearer });
    expect(orgs.body.reseller_organization.concurrent_call_limit).toBe(6);
    expect(checkInvariants(app.world.ledger)).toEqual([]);
  });

  it('sends a request id on every answer and JSON content types', async () => {
    const { url } = await startServer();
    const answer = await request(url, 'GET', '/api/v1/billing/wallet', { bearer: 'nope' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.headers.get('x-request-id')).toMatch(/^req_/);
  });
});

/** Sends `GET <target>` as raw HTTP/1.1 (fetch would normalise the target) and returns the status line. */
function rawGet(url: string, target: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.end(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('request targets the URL parser refuses', () => {
  it('answers them as unknown paths and keeps serving', async () => {
    const { url } = await startServer();
    expect(await rawGet(url, 'http://[bad/')).toMatch(/^HTTP\/1\.1 404 /);
    expect(await rawGet(url, '/api/v1/billing/plans')).toMatch(/^HTTP\/1\.1 401 /);
  });
});

describe('transport errors over HTTP change nothing', () => {
  it('answers 413 to a body over 64 KiB, 415 to a form and 400 to broken JSON, in the family shape', async () => {
    const { url, app } = await startServer();
    const before = app.world.ledger.journalSize;
    const huge = await request(url, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      raw: JSON.stringify({
        to_organization_id: 4002,
        minutes: 1,
        cost_per_min: 0.2,
        pad: 'x'.repeat(70_000),
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('payload_too_large');
    const form = await request(url, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_demo',
      raw: 'user_id=123',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.body.error).toContain('Content-Type: application/json');
    const broken = await request(url, 'POST', '/api/v1/billing/wallet/credit', {
      bearer: 'flowyte_sk_test_demo',
      raw: '{"amountUsd": 5,',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ type: 'about:blank', code: 'malformed_json' });
    expect(app.world.ledger.journalSize).toBe(before);
  });
});

describe('idempotency over HTTP', () => {
  it('lets exactly one of 20 concurrent requests with one key post; the others replay or get 409', async () => {
    const { url, app } = await startServer();
    app.faults.add({
      method: 'POST',
      path: '/api/v1/reseller/credits/transfer',
      kind: 'latency',
      delayMs: 100,
      times: 1,
    });
    const before = app.world.ledger.journalSize;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(url, 'POST', '/api/v1/reseller/credits/transfer', {
          bearer: 'rs_demo',
          headers: { 'idempotency-key': 'one-key' },
          json: { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 },
        }),
      ),
    );
    expect(app.world.ledger.journalSize).toBe(before + 1);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const conflicts = answers.filter((a) => a.status === 409);
    for (const conflict of conflicts) expect(conflict.body.error).toBe('conflict');
    const replay = await request(url, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      headers: { 'idempotency-key': 'one-key' },
      json: { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.new_to_balance).toBe(14);
    const reuse = await request(url, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      headers: { 'idempotency-key': 'one-key' },
      json: { to_organization_id: 4002, minutes: 21, cost_per_min: 0.2 },
    });
    expect(reuse.status).toBe(422);
    expect(reuse.body.error).toBe('idempotency_key_reused');
  });
});

describe('faults over HTTP', () => {
  it('drops the connection before the operation with `reset`', async () => {
    const { url, app } = await startServer();
    await request(url, 'POST', '/_mock/faults', {
      json: { path: '/api/v1/billing/wallet/credit', kind: 'reset', times: 1 },
    });
    const before = app.world.ledger.journalSize;
    await expect(
      request(url, 'POST', '/api/v1/billing/wallet/credit', {
        bearer: 'flowyte_sk_test_demo',
        json: { amountUsd: 5, reason: 'x' },
      }),
    ).rejects.toThrow();
    expect(app.world.ledger.journalSize).toBe(before);
  });

  it('commits, then drops the connection with `reset-after-commit`', async () => {
    const { url, app } = await startServer();
    await request(url, 'POST', '/_mock/faults', {
      json: { path: '/api/v1/billing/wallet/credit', kind: 'reset-after-commit', times: 1 },
    });
    const before = app.world.ledger.journalSize;
    await expect(
      request(url, 'POST', '/api/v1/billing/wallet/credit', {
        bearer: 'flowyte_sk_test_demo',
        json: { amountUsd: 5, reason: 'x' },
      }),
    ).rejects.toThrow();
    expect(app.world.ledger.journalSize).toBe(before + 1);
  });

  it('answers an injected status in the family shape, `times` times, then recovers', async () => {
    const { url } = await startServer();
    await request(url, 'POST', '/_mock/faults', {
      json: { path: '/api/v1/reseller/organizations', kind: 'status', status: 503, times: 1 },
    });
    const failed = await request(url, 'GET', '/api/v1/reseller/organizations', { bearer: 'rs_demo' });
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({
      error: expect.any(String),
      error_description: expect.stringContaining('503'),
    });
    const listed = await request(url, 'GET', '/_mock/faults');
    expect(listed.body.faults).toEqual([]);
    expect((await request(url, 'GET', '/api/v1/reseller/organizations', { bearer: 'rs_demo' })).status).toBe(
      200,
    );
  });

  it('delays with `latency` and clears every fault with DELETE', async () => {
    const { url } = await startServer();
    await request(url, 'POST', '/_mock/faults', {
      json: { path: '/api/v1/billing/plans', kind: 'latency', delayMs: 150 },
    });
    const started = performance.now();
    await request(url, 'GET', '/api/v1/billing/plans', { bearer: 'flowyte_sk_test_demo' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect((await request(url, 'DELETE', '/_mock/faults')).status).toBe(204);
    expect((await request(url, 'GET', '/_mock/faults')).body.faults).toEqual([]);
  });
});

describe('the admin token', () => {
  it('guards every /_mock call when set', async () => {
    const { url } = await startServer({ adminToken: 'sesame' });
    expect((await request(url, 'GET', '/_mock/state')).status).toBe(401);
    const state = await request(url, 'GET', '/_mock/state', { headers: { 'x-mock-admin-token': 'sesame' } });
    expect(state.status).toBe(200);
    expect(state.body.accounts.some((a: { kind: string }) => a.kind === 'system')).toBe(true);
  });
});
