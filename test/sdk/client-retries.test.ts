import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortError, RateLimitError, ServerError, TimeoutError } from '../../src/index.js';
import { countRequests, demoClient, useReferenceServer } from './support.js';

const { server, app } = await useReferenceServer();
const TRANSFER = '/api/v1/reseller/credits/transfer';
const order = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 } as const;

/** Journal entries the reseller transfer operation committed. */
function transfers(): number {
  return app.world.ledger
    .journal({ family: 'reseller', limit: 1000 })
    .entries.filter((entry) => entry.operation === 'transferCreditsToChild').length;
}

afterEach(() => {
  server.events.removeAllListeners();
  vi.useRealTimers();
});

describe('retries with injected faults', () => {
  it('retries a 503 and posts once', async () => {
    app.faults.add({ method: 'POST', path: TRANSFER, kind: 'status', status: 503, times: 1 });
    await expect(demoClient().reseller.transfer(order)).resolves.toMatchObject({ new_to_balance: 14 });
    expect(transfers()).toBe(1);
  });

  it('retries a connection reset before the operation ran and posts once', async () => {
    app.faults.add({ method: 'POST', path: TRANSFER, kind: 'reset', times: 1 });
    await expect(demoClient().reseller.transfer(order)).resolves.toMatchObject({ new_to_balance: 14 });
    expect(transfers()).toBe(1);
  });

  it('replays, not repeats, after a reset that followed the commit', async () => {
    const requests = countRequests(server, TRANSFER);
    app.faults.add({ method: 'POST', path: TRANSFER, kind: 'reset-after-commit', times: 1 });
    await expect(demoClient().reseller.transfer(order)).resolves.toMatchObject({
      new_from_balance: 59.813,
      new_to_balance: 14,
    });
    expect(requests()).toBe(2);
    expect(transfers()).toBe(1);
  });

  it('gives up after maxRetries with a ServerError', async () => {
    app.faults.add({ method: 'POST', path: TRANSFER, kind: 'status', status: 503 });
    const requests = countRequests(server, TRANSFER);
    await expect(demoClient().reseller.transfer(order)).rejects.toBeInstanceOf(ServerError);
    expect(requests()).toBe(3);
    expect(transfers()).toBe(0);
  });

  it('never retries a credit-send 501', async () => {
    const requests = countRequests(server, '/credits/send');
    await expect(demoClient().creditSend.send({ user: 11, credits: 5000 })).rejects.toMatchObject({
      status: 501,
    });
    expect(requests()).toBe(1);
  });
});

describe('retries under middleware', () => {
  it('resends the body and the tag of a Request that middleware replaced', async () => {
    app.faults.add({ method: 'POST', path: TRANSFER, kind: 'status', status: 503, times: 1 });
    const seen: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (new URL(request.url).pathname === TRANSFER) seen.push(request.headers.get('x-trace') ?? '');
    });
    const client = demoClient({
      middleware: [
        {
          onRequest: ({ request }) => {
            const headers = new Headers(request.headers);
            headers.set('x-trace', 't1');
            return new Request(request, { headers });
          },
        },
      ],
    });
    await expect(client.reseller.transfer(order)).resolves.toMatchObject({ new_to_balance: 14 });
    expect(seen).toEqual(['t1', 't1']);
    expect(transfers()).toBe(1);
  });
});

describe('Retry-After', () => {
  it('waits as long as the server asks before the next attempt', async () => {
    let answered = false;
    server.use(
      http.post(`http://localhost:4010${TRANSFER}`, () => {
        // Nothing returned: MSW falls through to the reference server's handlers.
        if (answered) return undefined;
        answered = true;
        return HttpResponse.json(
          { error: 'rate_limited', error_description: 'Slow down.' },
          { status: 429, headers: { 'Retry-After': '3' } },
        );
      }),
    );
    const requests = countRequests(server, TRANSFER);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pending = demoClient({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 } }).reseller.transfer(
      order,
    );
    let settled = false;
    const outcome = pending.finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(2_900);
    expect(requests()).toBe(1);
    // MSW schedules its own short timers too: keep the fake clock moving until the call settles.
    for (let step = 0; step < 100 && !settled; step += 1) await vi.advanceTimersByTimeAsync(50);
    await expect(outcome).resolves.toMatchObject({ new_to_balance: 14 });
    expect(requests()).toBe(2);
  });
});

describe('a status fault with retryAfterSeconds', () => {
  it('answers with Retry-After, which the SDK reads into RateLimitError.retryAfterMs', async () => {
    app.faults.add({
      method: 'POST',
      path: TRANSFER,
      kind: 'status',
      status: 429,
      retryAfterSeconds: 2,
      times: 1,
    });
    const refused = await demoClient({ retry: false })
      .reseller.transfer(order)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitError);
    expect(refused).toMatchObject({ status: 429, retryAfterMs: 2000 });
    expect(transfers()).toBe(0);
  });

  it('is refused for a kind other than status, naming the field', () => {
    expect(() => app.faults.add({ path: TRANSFER, kind: 'reset', retryAfterSeconds: 2 })).toThrow(
      /retryAfterSeconds applies to status faults only/,
    );
  });
});

describe('timeouts and aborts', () => {
  it('times out each attempt and then fails with TimeoutError', async () => {
    app.faults.add({ path: '/api/v1/billing/wallet', kind: 'latency', delayMs: 300 });
    const client = demoClient({ timeoutMs: 50, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(client.billing.getWallet()).rejects.toBeInstanceOf(TimeoutError);
  });

  it('retries a timed-out POST with the same key and posts once', async () => {
    app.faults.add({ method: 'POST', path: TRANSFER, kind: 'latency', delayMs: 200, times: 1 });
    const client = demoClient({ timeoutMs: 50, retry: { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 200 } });
    await expect(client.reseller.transfer(order)).resolves.toMatchObject({ new_to_balance: 14 });
    expect(transfers()).toBe(1);
  });

  it('aborts a call in flight', async () => {
    app.faults.add({ path: '/api/v1/billing/wallet', kind: 'latency', delayMs: 500 });
    const controller = new AbortController();
    const pending = demoClient().billing.getWallet({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it('aborts the wait between attempts', async () => {
    app.faults.add({ path: '/api/v1/billing/wallet', kind: 'status', status: 503 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = demoClient({
      retry: { maxRetries: 3, baseDelayMs: 10_000, maxDelayMs: 10_000 },
    }).billing.getWallet({
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('credit-send sessions', () => {
  it('logs in again when the server says the token expired', async () => {
    const logins = countRequests(server, '/user/login');
    const client = demoClient({
      credentials: { creditSend: { email: 'ada@example.com', secret: 's3cret-ada', ttlSeconds: 60 } },
    });
    await client.creditSend.send({ user: 11, credits: 1 });
    app.world.ledger.clock.advance(3_600_000);
    await expect(client.creditSend.send({ user: 11, credits: 1 })).resolves.toMatchObject({
      data: { your_new_balance: 96 },
    });
    expect(logins()).toBe(2);
  });
});
