import { describe, expect, it } from 'vitest';
import { call, demoApp } from './support.js';

// Every credential of every family against every other tenant's users, organizations and wallets:
// refused (401, 403, 404, or credit-send's documented 501), never another tenant's data, nothing moved.

const WL_TENANTS = [
  { key: 'wl_admin_demo', own: [123, 125], others: [124] },
  { key: 'wl_admin_credits_demo', own: [124], others: [123, 125] },
];

describe('white-label tenancy', () => {
  for (const tenant of WL_TENANTS) {
    for (const userId of tenant.others) {
      it(`${tenant.key} cannot move, tokenise or see user ${userId}`, async () => {
        const app = demoApp();
        const before = app.world.ledger.journalSize;
        for (const operation of ['add', 'remove']) {
          const moved = await call(app, 'POST', '/api/white-label/transfer', {
            bearer: tenant.key,
            json: { user_id: userId, transfer_type: 'minutes', operation, amount: 1 },
          });
          expect([403, 404]).toContain(moved.status);
          expect(JSON.stringify(moved.body)).not.toMatch(/minutes_balance|credits_balance/);
        }
        const token = await call(app, 'POST', '/api/white-label/token', {
          bearer: tenant.key,
          json: { user_id: userId },
        });
        expect([403, 404]).toContain(token.status);
        const list = await call(app, 'GET', '/api/white-label/users', { bearer: tenant.key });
        expect(list.body.data.map((u: { id: number }) => u.id).sort()).toEqual([...tenant.own].sort());
        expect(app.world.ledger.journalSize).toBe(before);
      });
    }
  }

  it('a user key reaches no admin endpoint', async () => {
    const app = demoApp();
    for (const [method, path] of [
      ['GET', '/api/white-label/users'],
      ['POST', '/api/white-label/transfer'],
      ['POST', '/api/white-label/token'],
      ['POST', '/api/white-label/register'],
    ] as const) {
      const answer = await call(app, method, path, { bearer: 'wl_user_demo', json: {} });
      expect(answer.status, `${method} ${path}`).toBe(403);
    }
  });
});

const RS_TENANTS = [
  { key: 'rs_demo', own: [4002, 4003], others: [5001, 5002] },
  { key: 'rs_other', own: [5002], others: [4001, 4002, 4003] },
];

describe('reseller tenancy', () => {
  for (const tenant of RS_TENANTS) {
    for (const org of tenant.others) {
      it(`${tenant.key} cannot transfer to, revert from or preview organization ${org}`, async () => {
        const app = demoApp();
        const before = app.world.ledger.journalSize;
        const attempts = [
          ['/api/v1/reseller/credits/transfer', { to_organization_id: org, minutes: 1, cost_per_min: 0.5 }],
          ['/api/v1/reseller/credits/revert', { from_organization_id: org, minutes: 1 }],
          ['/api/v1/reseller/credits/calculate', { minutes: 1, is_revert: true, child_organization_id: org }],
        ] as const;
        for (const [path, json] of attempts) {
          const answer = await call(app, 'POST', path, { bearer: tenant.key, json });
          expect([403, 404], path).toContain(answer.status);
          expect(answer.body).not.toHaveProperty('new_to_balance');
          expect(answer.body).not.toHaveProperty('child_balance');
        }
        const orgs = await call(app, 'GET', '/api/v1/reseller/organizations', { bearer: tenant.key });
        expect(orgs.body.organizations.map((o: { id: number }) => o.id).sort()).toEqual(
          [...tenant.own].sort(),
        );
        expect(app.world.ledger.journalSize).toBe(before);
      });
    }
  }

  it("keeps each reseller's logs to itself", async () => {
    const app = demoApp();
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
    });
    const logs = await call(app, 'GET', '/api/v1/reseller/credits/logs', { bearer: 'rs_other' });
    expect(logs.body.data.logs).toEqual([]);
  });
});

describe('credit-send tenancy', () => {
  it("refuses a send to another organization's user with the documented 501, moving nothing", async () => {
    const app = demoApp();
    for (const [email, secret, recipient] of [
      ['ada@example.com', 's3cret-ada', 20],
      ['eve@example.org', 's3cret-eve', 10],
    ] as const) {
      const login = await call(app, 'POST', '/user/login', { json: { email, secret, ttl: '60' } });
      const before = app.world.ledger.journalSize;
      const sent = await call(app, 'POST', '/credits/send', {
        headers: { token: login.body.data.token },
        json: { user: recipient, credits: 1 },
      });
      expect(sent.status).toBe(501);
      expect(sent.body.error.details).toBe(
        'This user does not exists or you do not have the permission to use it.',
      );
      expect(app.world.ledger.journalSize).toBe(before);
    }
  });
});

describe('billing tenancy', () => {
  it("answers each credential with its own organization's wallet only", async () => {
    const app = demoApp();
    const demo = await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    const manual = await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_manual' });
    expect(demo.body.data.balanceUsd).toBe(50);
    expect(manual.body.data.balanceUsd).toBe(10);
    await call(app, 'POST', '/api/v1/billing/wallet/credit', {
      bearer: 'flowyte_sk_test_manual',
      json: { amountUsd: 5, reason: 'x' },
    });
    const after = await call(app, 'GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
    expect(after.body.data.balanceUsd).toBe(50);
    const items = await call(app, 'GET', '/api/v1/billing/invoices', { bearer: 'flowyte_sk_test_demo' });
    expect(items.body.data.items).toEqual([]);
  });

  it("never accepts one family's credential in another", async () => {
    const app = demoApp();
    for (const key of ['wl_admin_demo', 'rs_demo', 'flowyte_sk_test_demo']) {
      const paths = ['/api/white-label/users', '/api/v1/reseller/organizations', '/api/v1/billing/wallet'];
      for (const path of paths) {
        const answer = await call(app, 'GET', path, { bearer: key });
        const own =
          (key.startsWith('wl') && path.includes('white')) ||
          (key.startsWith('rs') && path.includes('reseller')) ||
          (key.startsWith('flowyte') && path.includes('billing'));
        expect(answer.status, `${key} on ${path}`).toBe(own ? 200 : 401);
      }
    }
  });
});
