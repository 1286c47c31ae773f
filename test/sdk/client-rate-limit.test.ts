import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoSeed } from '../../mock/index.js';
import { RateLimitError } from '../../src/index.js';
import { countRequests, demoClient, useReferenceServer } from './support.js';

const { server, app } = await useReferenceServer();

/** The demo seed with its billing organizations limited to `requestsPerMinute` (docs/reference-server.md). */
function limitedSeed(requestsPerMinute: number): Record<string, unknown> {
  const seed = structuredClone(demoSeed) as { billing: { organizations: Record<string, unknown>[] } };
  for (const organization of seed.billing.organizations) organization.rateLimit = { requestsPerMinute };
  return seed;
}

afterEach(() => {
  server.events.removeAllListeners();
  vi.useRealTimers();
});

describe('a rate-limited billing organization through the SDK', () => {
  it('fails the third call of a 2/min organization with RateLimitError and the server wait', async () => {
    app.reset(limitedSeed(2));
    // 40 s into the demo clock's minute: 20 s left in the window.
    app.world.ledger.clock.advance(40_000);
    const client = demoClient({ retry: false });
    await client.billing.getWallet();
    await client.billing.getWallet();
    const error = await client.billing.getWallet().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: 20_000 });
    expect((error as RateLimitError).message).toContain('limited to 2 requests per minute');
  });

  it('retries after Retry-After, into the next window of the mock clock', async () => {
    app.reset(limitedSeed(1));
    app.world.ledger.clock.advance(40_000);
    const wallet = countRequests(server, '/api/v1/billing/wallet');
    const client = demoClient({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } });
    await client.billing.getWallet();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    const outcome = client.billing.getWallet().finally(() => {
      settled = true;
    });
    // The refusal said 20 s: the SDK waits that long (not its 5 ms backoff) before it asks again.
    await vi.advanceTimersByTimeAsync(19_000);
    expect(wallet()).toBe(2);
    expect(settled).toBe(false);
    // The mock clock does not follow the fake timers: move it into the next window by hand.
    app.world.ledger.clock.advance(20_000);
    for (let step = 0; step < 100 && !settled; step += 1) await vi.advanceTimersByTimeAsync(1_000);
    await expect(outcome).resolves.toMatchObject({ balanceUsd: 50 });
    expect(wallet()).toBe(3);
  });
});
