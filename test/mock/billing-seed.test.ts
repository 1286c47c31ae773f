import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import {
  balanceUsd,
  billingCall,
  DEMO_SESSION,
  demoApp,
  items,
  seedOrganization,
  usage,
} from './billing-support.js';

const org = seedOrganization;

async function resetWith(app: MockApp, organizations: unknown[]) {
  return billingCall(app, 'POST', '/_mock/reset', { json: { seed: { billing: { organizations } } } });
}

describe('billing seed', () => {
  it('opens the wallets and system accounts, with the opening balance from billing:opening', async () => {
    const app = demoApp();
    const state = await billingCall(app, 'GET', '/_mock/state');
    const billing = state.body.accounts.filter((a: { family: string }) => a.family === 'billing');
    expect(billing).toEqual([
      { id: 'billing:payments', family: 'billing', kind: 'system', balances: { credits: 0 } },
      { id: 'billing:revenue', family: 'billing', kind: 'system', balances: { credits: 0 } },
      { id: 'billing:opening', family: 'billing', kind: 'system', balances: { credits: -6000 } },
      { id: 'billing:wallet:org_demo', family: 'billing', kind: 'wallet', balances: { credits: 5000 } },
      { id: 'billing:wallet:org_manual', family: 'billing', kind: 'wallet', balances: { credits: 1000 } },
    ]);
  });

  it('names the field of a duplicate organization, credential or plan, or an unknown plan', async () => {
    const app = demoApp();
    const cases: [unknown[], string][] = [
      [[org({}), org({})], 'seed.billing.organizations[1].id'],
      [
        [org({ apiKeys: [{ key: 'k', scopes: [] }] }), org({ id: 'org_b', sessions: ['k'] })],
        'seed.billing.organizations[1].sessions[0]',
      ],
      [[org({ planId: 'gold' })], 'seed.billing.organizations[0].planId'],
      [
        [
          org({
            plans: [
              { id: 'p', name: 'P', monthlyPriceUsd: 1, includedMinutes: 0, overageRate: 1 },
              { id: 'p', name: 'Q', monthlyPriceUsd: 1, includedMinutes: 0, overageRate: 1 },
            ],
          }),
        ],
        'seed.billing.organizations[0].plans[1].id',
      ],
      [
        [
          org({
            plans: [{ id: 'p', name: 'P', monthlyPriceUsd: 1.005, includedMinutes: 0, overageRate: 1 }],
          }),
        ],
        'seed.billing.organizations[0].plans[0].monthlyPriceUsd',
      ],
    ];
    for (const [organizations, path] of cases) {
      const result = await resetWith(app, organizations);
      expect(result.status).toBe(400);
      expect(result.body.issues[0].path).toBe(path);
    }
    // A refused seed changes nothing.
    expect(await balanceUsd(app)).toBe(50);
  });

  it('accepts an organization without credentials and a seed without billing', async () => {
    const app = demoApp();
    expect((await resetWith(app, [org({})])).status).toBe(200);
    expect((await usage(app, { organizationId: 'org_a', channel: 'chat', quantity: 1 })).status).toBe(402);
    expect((await billingCall(app, 'POST', '/_mock/reset', { json: { seed: {} } })).status).toBe(200);
    expect((await billingCall(app, 'GET', '/api/v1/billing/wallet', { bearer: DEMO_SESSION })).status).toBe(
      401,
    );
    expect((await usage(app, { channel: 'chat', quantity: 1 })).status).toBe(400);
  });
});

describe('billing state across a snapshot', () => {
  it('restores items, counters and the month-boundary hook', async () => {
    const app = demoApp();
    await usage(app, { channel: 'chat', quantity: 2 });
    await billingCall(app, 'POST', '/_mock/reset', {
      json: {
        seed: {
          billing: {
            organizations: [org({ id: 'org_demo', credits: 1000, numbers: 1, sessions: [DEMO_SESSION] })],
          },
        },
      },
    });
    await usage(app, { channel: 'chat', quantity: 2 });
    const restored = new MockApp({ snapshot: JSON.parse(JSON.stringify(app.snapshot())) });
    await usage(restored, { channel: 'chat', quantity: 1 });
    expect((await items(restored)).map((item: { id: string }) => item.id)).toEqual(['ui_2', 'ui_1']);
    restored.world.ledger.clock.set('2025-07-01T00:00:00Z');
    expect(await balanceUsd(restored)).toBe(8.47);
  });
});
