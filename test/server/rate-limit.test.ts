import { describe, expect, it } from 'vitest';
import { Clock } from '../../mock/ledger/clock.js';
import { request, startServer } from './support.js';

const WALLET = '/api/v1/billing/wallet';
const SESSION = 'flowyte_session_rl';
const seed = {
  billing: {
    organizations: [
      {
        id: 'org_rl',
        credits: 100,
        planId: null,
        apiKeys: [],
        sessions: [SESSION],
        settlement: 'immediate',
        rateLimit: { requestsPerMinute: 2 },
      },
    ],
  },
};

describe('billing rate limit over HTTP', () => {
  it('sends RateLimit-* and Retry-After, exposed to browsers, and a new window after the clock moves', async () => {
    // 30 s into a minute of the mock clock: a window has 30 s left.
    const { url } = await startServer({ seed, clock: Clock.controlled('2025-06-01T12:00:30Z') });
    const first = await request(url, 'GET', WALLET, { bearer: SESSION });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect(first.headers.get('ratelimit-reset')).toBe('30');
    const exposed = (first.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining(['retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']),
    );
    expect((await request(url, 'GET', WALLET, { bearer: SESSION })).headers.get('ratelimit-remaining')).toBe(
      '0',
    );

    const refused = await request(url, 'GET', WALLET, { bearer: SESSION });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      type: 'about:blank',
      status: 429,
      code: 'rate_limited',
      instance: WALLET,
    });

    const moved = await request(url, 'POST', '/_mock/clock', { json: { advanceSeconds: 60 } });
    expect(moved.status).toBe(200);
    const next = await request(url, 'GET', WALLET, { bearer: SESSION });
    expect(next.status).toBe(200);
    expect(next.body.data.balanceUsd).toBe(1);
    expect(next.headers.get('ratelimit-remaining')).toBe('1');
  });
});
