import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { createHandlers } from '../../mock/index.js';
import { Clock } from '../../mock/ledger/clock.js';
import { call } from '../mock/support.js';
import { startServer } from '../server/support.js';
import { overHttp, TARGETS, target } from './control-targets.js';

// A team's own seed: one reseller, `rs_team`. The demo seed's `rs_demo` must not come back unasked.
const TEAM_SEED = {
  reseller: {
    resellers: [
      {
        apiKey: 'rs_team',
        organizationId: 7001,
        name: 'Team',
        balance: 50,
        resellerRate: 0.1,
        children: [{ organizationId: 7002, name: 'Child', balance: 0, costPerMin: 0.2 }],
      },
    ],
  },
};
const OTHER_SEED = {
  reseller: { resellers: [{ ...TEAM_SEED.reseller.resellers[0], apiKey: 'rs_elsewhere' }] },
};

/** Which of the three keys the server knows now. */
async function keys(base: string): Promise<string[]> {
  const known: string[] = [];
  for (const key of ['rs_team', 'rs_demo', 'rs_elsewhere'])
    if ((await overHttp(base, 'GET', '/api/v1/reseller/organizations', { bearer: key })).status === 200)
      known.push(key);
  return known;
}

describe('reset and sandboxes start from the seed the server started with (HTTP)', () => {
  it('restores the startup seed for no body and {}, loads {"seed": {...}} and {"seed": "demo"}', async () => {
    const { url } = await startServer({ seed: TEAM_SEED });
    expect(await keys(url)).toEqual(['rs_team']);
    expect((await overHttp(url, 'POST', '/_mock/reset', { json: { seed: OTHER_SEED } })).status).toBe(200);
    expect(await keys(url)).toEqual(['rs_elsewhere']);
    expect((await overHttp(url, 'POST', '/_mock/reset')).status).toBe(200);
    expect(await keys(url)).toEqual(['rs_team']);
    await overHttp(url, 'POST', '/_mock/reset', { json: { seed: 'demo' } });
    expect(await keys(url)).toEqual(['rs_demo']);
    expect((await overHttp(url, 'POST', '/_mock/reset', { json: {} })).body).toEqual({ ok: true });
    expect(await keys(url)).toEqual(['rs_team']);
    const refused = await overHttp(url, 'POST', '/_mock/reset', { json: { sed: OTHER_SEED } });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ path: 'sed', message: 'is not a field; did you mean "seed"?' }]);
    const notASeed = await overHttp(url, 'POST', '/_mock/reset', { json: { seed: 'team' } });
    expect(notASeed.status).toBe(400);
    expect(await keys(url)).toEqual(['rs_team']);
  });

  it('seeds a new sandbox with the startup seed unless told otherwise, and resets it to its own seed', async () => {
    const { url } = await startServer({ seed: TEAM_SEED });
    const plain = await overHttp(url, 'POST', '/_mock/sandboxes', { json: {} });
    expect(await keys(plain.body.baseUrl)).toEqual(['rs_team']);
    const demo = await overHttp(url, 'POST', '/_mock/sandboxes', { json: { seed: 'demo' } });
    expect(await keys(demo.body.baseUrl)).toEqual(['rs_demo']);
    const other = await overHttp(url, 'POST', '/_mock/sandboxes', { json: { seed: OTHER_SEED } });
    expect(await keys(other.body.baseUrl)).toEqual(['rs_elsewhere']);
    await overHttp(other.body.baseUrl, 'POST', '/_mock/reset', { json: { seed: 'demo' } });
    expect(await keys(other.body.baseUrl)).toEqual(['rs_demo']);
    await overHttp(other.body.baseUrl, 'POST', '/_mock/reset');
    expect(await keys(other.body.baseUrl)).toEqual(['rs_elsewhere']);
    const refused = await overHttp(url, 'POST', '/_mock/sandboxes', { json: { sed: OTHER_SEED } });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ path: 'sed', message: 'is not a field; did you mean "seed"?' }]);
    expect((await overHttp(url, 'GET', '/_mock/sandboxes')).body.sandboxes).toHaveLength(3);
  });
});

describe('reset starts from the startup seed in-process', () => {
  it('MockApp.reset() and POST /_mock/reset restore the seed the app was made with', async () => {
    const app = new MockApp({ seed: TEAM_SEED });
    const works = async (key: string) =>
      (await call(app, 'GET', '/api/v1/reseller/organizations', { bearer: key })).status === 200;
    app.reset({ ...OTHER_SEED });
    expect(await works('rs_elsewhere')).toBe(true);
    app.reset();
    expect([await works('rs_team'), await works('rs_elsewhere')]).toEqual([true, false]);
    app.reset('demo');
    expect(await works('rs_demo')).toBe(true);
    expect((await call(app, 'POST', '/_mock/reset', { json: {} })).status).toBe(200);
    expect([await works('rs_team'), await works('rs_demo')]).toEqual([true, false]);
  });

  describe('under MSW (createHandlers({ seed }))', () => {
    const server = setupServer();
    beforeAll(async () => {
      server.use(...(await createHandlers({ seed: TEAM_SEED })).handlers);
      server.listen({ onUnhandledRequest: 'error' });
    });
    afterAll(() => server.close());

    it('restores the startup seed on POST /_mock/reset and in a new sandbox', async () => {
      const base = 'http://localhost:4010';
      await overHttp(base, 'POST', '/_mock/reset', { json: { seed: 'demo' } });
      expect(await keys(base)).toEqual(['rs_demo']);
      await overHttp(base, 'POST', '/_mock/reset');
      expect(await keys(base)).toEqual(['rs_team']);
      const made = await overHttp(base, 'POST', '/_mock/sandboxes', { json: {} });
      expect(await keys(made.body.baseUrl)).toEqual(['rs_team']);
    });
  });
});

describe.each(TARGETS)('GET /_mock/invariants (%s)', (kind) => {
  it('stays ok when a key is reused after its 24 h expiry, as documented', async () => {
    const server = await target(kind);
    const send = () =>
      server.send('POST', '/api/v1/reseller/credits/transfer', {
        bearer: 'rs_demo',
        headers: { 'idempotency-key': 'K1' },
        json: { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect((await send()).headers['idempotent-replayed']).toBe('true');
    await server.send('POST', '/_mock/clock', { json: { advanceSeconds: 24 * 60 * 60 + 1 } });
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    const report = await server.send('GET', '/_mock/invariants');
    expect(report.status).toBe(200);
    expect(report.body.ok).toBe(true);
    expect(report.body.checks).toContainEqual({
      name: 'idempotency keys committed once',
      ok: true,
      detail: '1 key checked',
    });
  });

  it('answers 409 with the same body when a check fails', async () => {
    const server = await target(kind === 'sandbox' ? 'HTTP' : kind);
    const { app } = server;
    if (app === undefined) throw new Error('no app');
    // Two commits of one key within a day, past the pipeline: what a broken family would do.
    for (let i = 0; i < 2; i++)
      app.world.ledger.commit({
        family: 'reseller',
        operation: 'transferCreditsToChild',
        idempotencyKey: 'K2',
        postings: [
          {
            debit: 'reseller:organization:4001',
            credit: 'reseller:organization:4002',
            asset: 'usd',
            amount: 1n,
          },
        ],
      });
    const report = await server.send('GET', '/_mock/invariants');
    expect(report.status).toBe(409);
    expect(report.body.ok).toBe(false);
    expect(report.body).toEqual(app.invariants());
    expect(report.body.checks).toContainEqual({
      name: 'idempotency keys committed once',
      ok: false,
      detail: expect.stringMatching(/key "K2" committed reseller transferCreditsToChild 2 times/),
    });
  });
});

describe('an idempotency key used again within its lifetime', () => {
  it('is still a violation after another key expired', async () => {
    const app = new MockApp({ clock: Clock.controlled('2025-06-01T12:00:00Z') });
    const commit = () =>
      app.world.ledger.commit({
        family: 'reseller',
        operation: 'transferCreditsToChild',
        idempotencyKey: 'K3',
        postings: [
          {
            debit: 'reseller:organization:4001',
            credit: 'reseller:organization:4002',
            asset: 'usd',
            amount: 1n,
          },
        ],
      });
    commit();
    app.world.ledger.clock.set(Date.parse('2025-06-02T12:00:01Z'));
    commit(); // a new lifetime
    expect(app.invariants().ok).toBe(true);
    app.world.ledger.clock.set(Date.parse('2025-06-02T13:00:00Z'));
    commit(); // the same lifetime as the second
    expect(app.invariants().ok).toBe(false);
  });
});
