import { describe, expect, it } from 'vitest';
import type { MockApp } from '../../mock/app.js';
import {
  appWith,
  billingCall,
  DEMO_KEY,
  DEMO_READONLY_KEY,
  DEMO_SESSION,
  demoApp,
  seedOrganization,
} from './billing-support.js';
import { call } from './support.js';

const WALLET = '/api/v1/billing/wallet';
const CREDIT = '/api/v1/billing/wallet/credit';
// Issues of the seed schema name array items with a dot (loadSeed, mock/seed.ts).
const ORG = 'billing.organizations.0';
/** Where the reset body carries the seed. */
const SEED_ORG = `seed.${ORG}`;

const wallet = (app: MockApp) => billingCall(app, 'GET', WALLET, { bearer: DEMO_SESSION });

/** The wallet's balance read from the ledger: a GET would spend the budget under test. */
const walletUnits = (app: MockApp) => app.world.ledger.balances('billing:wallet:org_demo').credits ?? 0n;

/** The demo clock (12:00:00) moved 15 s into its minute, so a window has 45 s left. */
async function limitedApp(requestsPerMinute: number): Promise<MockApp> {
  const app = appWith({ rateLimit: { requestsPerMinute } });
  expect((await call(app, 'POST', '/_mock/clock', { json: { advanceSeconds: 15 } })).status).toBe(200);
  return app;
}

const rateHeaders = (headers: Readonly<Record<string, string>>) => ({
  limit: headers['ratelimit-limit'],
  remaining: headers['ratelimit-remaining'],
  reset: headers['ratelimit-reset'],
});

describe('billing rate limit (seed rateLimit.requestsPerMinute)', () => {
  it('puts RateLimit-* on every answer, Remaining counting down, then 429 with Retry-After', async () => {
    const app = await limitedApp(3);
    const seen = [];
    for (let i = 0; i < 3; i += 1) {
      const answer = await wallet(app);
      expect(answer.status).toBe(200);
      seen.push(rateHeaders(answer.headers));
    }
    expect(seen).toEqual([
      { limit: '3', remaining: '2', reset: '45' },
      { limit: '3', remaining: '1', reset: '45' },
      { limit: '3', remaining: '0', reset: '45' },
    ]);
    app.world.ledger.clock.advance(500);
    const refused = await wallet(app);
    expect(refused.status).toBe(429);
    // 44.5 s left: whole seconds, rounded up.
    expect(refused.headers['retry-after']).toBe('45');
    expect(rateHeaders(refused.headers)).toEqual({ limit: '3', remaining: '0', reset: '45' });
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.body).toEqual({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      code: 'rate_limited',
      detail: 'This organization is limited to 3 requests per minute; retry after 45 seconds.',
      instance: WALLET,
    });
  });

  it('opens a new window when the mock clock passes the minute', async () => {
    const app = await limitedApp(2);
    await wallet(app);
    await wallet(app);
    expect((await wallet(app)).status).toBe(429);
    await call(app, 'POST', '/_mock/clock', { json: { advanceSeconds: 60 } });
    const next = await wallet(app);
    expect(next.status).toBe(200);
    expect(rateHeaders(next.headers)).toEqual({ limit: '2', remaining: '1', reset: '45' });
  });

  it('runs nothing past the limit: no ledger change, the Idempotency-Key still unclaimed', async () => {
    const app = await limitedApp(1);
    expect((await wallet(app)).status).toBe(200);
    const before = walletUnits(app);
    const journalSize = app.world.ledger.journalSize;
    const send = () =>
      billingCall(app, 'POST', CREDIT, {
        bearer: DEMO_KEY,
        headers: { 'Idempotency-Key': 'credit-rl' },
        json: { amountUsd: 5, reason: 'Throttled' },
      });
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(walletUnits(app)).toBe(before);
    expect(app.world.ledger.journalSize).toBe(journalSize);

    await call(app, 'POST', '/_mock/clock', { json: { advanceSeconds: 60 } });
    const ran = await send();
    expect(ran.status).toBe(201);
    // Run now, not a replay of the 429: the key was never claimed.
    expect(ran.headers['idempotent-replayed']).toBeUndefined();
    expect(walletUnits(app)).toBe(before + 50_000n);
    expect(rateHeaders(ran.headers)).toEqual({ limit: '1', remaining: '0', reset: '45' });
  });

  it('counts every answer to the organization: replays, validation errors and 403s alike', async () => {
    const app = appWith({
      rateLimit: { requestsPerMinute: 10 },
      apiKeys: [
        { key: DEMO_KEY, scopes: ['billing:read', 'billing:write'] },
        { key: DEMO_READONLY_KEY, scopes: ['billing:read'] },
      ],
    });
    const credit = {
      bearer: DEMO_KEY,
      headers: { 'Idempotency-Key': 'k1' },
      json: { amountUsd: 1, reason: 'r' },
    };
    expect((await billingCall(app, 'POST', CREDIT, credit)).headers['ratelimit-remaining']).toBe('9');
    const replay = await billingCall(app, 'POST', CREDIT, credit);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['ratelimit-remaining']).toBe('8');
    const invalid = await billingCall(app, 'POST', CREDIT, { bearer: DEMO_KEY, json: { amountUsd: -1 } });
    expect(invalid.status).toBe(400);
    expect(invalid.headers['ratelimit-remaining']).toBe('7');
    const forbidden = await billingCall(app, 'POST', CREDIT, {
      bearer: DEMO_READONLY_KEY,
      json: { amountUsd: 1, reason: 'r' },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers['ratelimit-remaining']).toBe('6');
    // No credential: no organization to count against, and no headers.
    const anonymous = await billingCall(app, 'GET', WALLET);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['ratelimit-limit']).toBeUndefined();
  });

  it('counts per organization, and an organization without a limit gets no headers', async () => {
    const app = demoApp({
      seed: {
        billing: {
          organizations: [
            { id: 'org_a', credits: 0, planId: null, apiKeys: [], sessions: ['a'], settlement: 'immediate' },
            {
              id: 'org_b',
              credits: 0,
              planId: null,
              apiKeys: [],
              sessions: ['b1', 'b2'],
              settlement: 'immediate',
              rateLimit: { requestsPerMinute: 1 },
            },
          ],
        },
      },
    });
    const free = await billingCall(app, 'GET', WALLET, { bearer: 'a' });
    expect(free.status).toBe(200);
    expect(Object.keys(free.headers).filter((name) => name.startsWith('ratelimit'))).toEqual([]);
    expect((await billingCall(app, 'GET', WALLET, { bearer: 'b1' })).status).toBe(200);
    // Another credential of the same organization shares its budget.
    expect((await billingCall(app, 'GET', WALLET, { bearer: 'b2' })).status).toBe(429);
    expect((await billingCall(app, 'GET', WALLET, { bearer: 'a' })).status).toBe(200);
  });

  it('adds no headers on the demo seed, which sets no limit', async () => {
    const app = demoApp();
    for (let i = 0; i < 5; i += 1) {
      const answer = await wallet(app);
      expect(answer.status).toBe(200);
      expect(answer.headers['ratelimit-limit']).toBeUndefined();
      expect(answer.headers['retry-after']).toBeUndefined();
    }
  });

  it('starts the counters afresh on POST /_mock/reset', async () => {
    const app = await limitedApp(1);
    await wallet(app);
    expect((await wallet(app)).status).toBe(429);
    const seed = {
      billing: {
        organizations: [
          {
            id: 'org_demo',
            credits: 50,
            planId: null,
            apiKeys: [],
            sessions: [DEMO_SESSION],
            settlement: 'immediate',
            rateLimit: { requestsPerMinute: 1 },
          },
        ],
      },
    };
    expect((await call(app, 'POST', '/_mock/reset', { json: { seed } })).status).toBe(200);
    expect((await wallet(app)).status).toBe(200);
  });

  it('refuses a limit that is not a whole number from 1 to 100000, naming the field', async () => {
    const app = demoApp();
    const cases: [unknown, string][] = [
      [0, 'must be at least 1'],
      [-5, 'must be at least 1'],
      [1.5, 'must be an integer'],
      [100_001, 'must be at most 100000'],
      ['10', 'must be a number'],
    ];
    for (const [requestsPerMinute, message] of cases) {
      const seed = { billing: { organizations: [seedOrganization({ rateLimit: { requestsPerMinute } })] } };
      const refused = await call(app, 'POST', '/_mock/reset', { json: { seed } });
      expect(refused.status, String(requestsPerMinute)).toBe(400);
      expect(refused.body.issues).toEqual([{ path: `${SEED_ORG}.rateLimit.requestsPerMinute`, message }]);
    }
    // A refused seed changes nothing: the demo seed still answers, unthrottled.
    expect((await wallet(app)).headers['ratelimit-limit']).toBeUndefined();
  });
});
