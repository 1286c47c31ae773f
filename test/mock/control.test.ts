import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../mock/index.js';
import { call, demoApp } from './support.js';

describe('POST /_mock/reset', () => {
  it('loads a seed, and the demo seed again with an empty body', async () => {
    const app = demoApp();
    const seed = {
      reseller: {
        resellers: [
          {
            apiKey: 'rs_tiny',
            organizationId: 7001,
            name: 'Tiny',
            balance: 1,
            resellerRate: 0.1,
            children: [],
          },
        ],
      },
    };
    expect((await call(app, 'POST', '/_mock/reset', { json: { seed } })).status).toBe(200);
    expect((await call(app, 'GET', '/api/v1/reseller/organizations', { bearer: 'rs_demo' })).status).toBe(
      401,
    );
    expect((await call(app, 'GET', '/api/v1/reseller/organizations', { bearer: 'rs_tiny' })).status).toBe(
      200,
    );
    expect((await call(app, 'POST', '/_mock/reset')).body).toEqual({ ok: true });
    expect((await call(app, 'GET', '/api/v1/reseller/organizations', { bearer: 'rs_demo' })).status).toBe(
      200,
    );
  });

  it('refuses an invalid seed naming the field and why, and keeps the current state', async () => {
    const app = demoApp();
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 },
    });
    const journal = app.world.ledger.journalSize;
    const bad = await call(app, 'POST', '/_mock/reset', {
      json: { seed: { whiteLabel: { platforms: [{ adminKey: 'k', minutes: 'lots', users: [] }] } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([
      { path: 'seed.whiteLabel.platforms.0.minutes', message: expect.stringContaining('must be a number') },
    ]);
    const duplicate = await call(app, 'POST', '/_mock/reset', {
      json: {
        seed: {
          creditSend: {
            organizations: [
              { id: 1, users: [{ id: 10, email: 'a@example.com', secret: 'x', credits: 1 }] },
              { id: 2, users: [{ id: 10, email: 'b@example.com', secret: 'y', credits: 1 }] },
            ],
          },
        },
      },
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.issues[0].path).toMatch(/^seed\.creditSend\.organizations/);
    expect(app.world.ledger.journalSize).toBe(journal);
  });
});

describe('GET /_mock/state and /_mock/journal', () => {
  it('lists every account, system ones included, summing to zero per asset', async () => {
    const app = demoApp();
    const state = await call(app, 'GET', '/_mock/state');
    expect(state.body.now).toBe('2025-06-01T12:00:00.000Z');
    const totals = new Map<string, number>();
    for (const account of state.body.accounts) {
      for (const [asset, amount] of Object.entries(account.balances as Record<string, number>)) {
        const key = `${account.family}/${asset}`;
        totals.set(key, Math.round(((totals.get(key) ?? 0) + amount) * 1e6));
        totals.set(key, (totals.get(key) ?? 0) / 1e6);
      }
    }
    for (const [key, total] of totals) expect(total, key).toBe(0);
    expect(
      state.body.accounts.filter((a: { kind: string }) => a.kind === 'system').length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('pages the journal newest first by family and account', async () => {
    const app = demoApp();
    for (let i = 0; i < 3; i += 1) {
      await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
        bearer: 'rs_demo',
        headers: { 'idempotency-key': `k${i}` },
        json: { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
      });
    }
    const first = await call(app, 'GET', '/_mock/journal', {
      query: { family: 'reseller', account: 'reseller:organization:4002', limit: 2 },
    });
    expect(first.body.entries.map((e: { idempotencyKey: string }) => e.idempotencyKey)).toEqual(['k2', 'k1']);
    const second = await call(app, 'GET', '/_mock/journal', {
      query: {
        family: 'reseller',
        account: 'reseller:organization:4002',
        limit: 2,
        cursor: first.body.nextCursor,
      },
    });
    expect(second.body.entries[0].idempotencyKey).toBe('k0');
    const bad = await call(app, 'GET', '/_mock/journal', { query: { cursor: 'nonsense' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('cursor');
  });
});

describe('POST /_mock/clock', () => {
  it('sets and advances the clock; a month boundary renews plans or drops the unpaid ones', async () => {
    const app = demoApp();
    const session = 'flowyte_session_demo';
    await call(app, 'POST', '/api/v1/billing/wallet/credit', {
      bearer: session,
      json: { amountUsd: 100, reason: 'plan money' },
    });
    await call(app, 'POST', '/api/v1/billing/subscription', { bearer: session, json: { planId: 'starter' } });
    const set = await call(app, 'POST', '/_mock/clock', { json: { now: '2025-06-30T23:00:00Z' } });
    expect(set.body.now).toBe('2025-06-30T23:00:00.000Z');
    const moved = await call(app, 'POST', '/_mock/clock', { json: { advanceSeconds: 7200 } });
    expect(moved.body.now).toBe('2025-07-01T01:00:00.000Z');
    // org_demo had $150 after the credit, paid $49 at once and $49 again at the boundary.
    const wallet = await call(app, 'GET', '/api/v1/billing/wallet', { bearer: session });
    expect(wallet.body.data.balanceUsd).toBe(52);
    // org_manual ($10) cannot renew its starter plan: it drops to pay-as-you-go.
    const manual = await call(app, 'GET', '/api/v1/billing/subscription', {
      bearer: 'flowyte_session_manual',
    });
    expect(manual.body.data.plan).toBeNull();
    expect(checkInvariants(app.world.ledger)).toEqual([]);
    const bad = await call(app, 'POST', '/_mock/clock', { json: { now: 'yesterday' } });
    expect(bad.status).toBe(400);
  });
});

describe('POST /_mock/sandboxes on an app made without sandboxes', () => {
  it('is refused saying the app serves none and which option did that, not that sandboxes do not nest', async () => {
    const app = demoApp({ sandboxes: false });
    const refused = await call(app, 'POST', '/_mock/sandboxes', { json: {} });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/serves no sandboxes: it was created with sandboxes: false/);
    expect(refused.body.error).not.toMatch(/nest/);
  });
});
