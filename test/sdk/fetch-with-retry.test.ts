import createClient from 'openapi-fetch';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError, ConnectionError, TimeoutError } from '../../src/core/errors.js';
import type { Family } from '../../src/core/family.js';
import {
  type CallOptions,
  createRetryingFetch,
  type RetryingFetchConfig,
  SENT_BODY,
} from '../../src/core/fetch-with-retry.js';

type Step = Response | Error | 'hang';
interface Seen {
  method: string;
  body: string;
  key: string | null;
}

/** A fetch that plays `steps` in order (then 200s) and records what each attempt sent. */
function stub(steps: Step[]) {
  const seen: Seen[] = [];
  // Like globalThis.fetch, it follows the signal given in `init` over the Request's own.
  const fetch = async (req: Request, init?: RequestInit): Promise<Response> => {
    seen.push({ method: req.method, body: await req.text(), key: req.headers.get('idempotency-key') });
    const step = steps.shift() ?? new Response('{"ok":true}');
    const signal = init?.signal ?? req.signal;
    if (step === 'hang')
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    if (step instanceof Error) throw step;
    return step;
  };
  return { fetch, seen };
}

const status = (code: number, headers: Record<string, string> = {}) =>
  new Response('{}', { status: code, headers });
const ORIGIN = 'http://localhost:4010';
const post = (path: string, body = '{"amountUsd":5}', init?: RequestInit) =>
  new Request(`${ORIGIN}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    ...init,
  });
const get = (path: string, init?: RequestInit) => new Request(`${ORIGIN}${path}`, init);
const fetchFailed = (code?: string) =>
  new TypeError('fetch failed', code ? { cause: Object.assign(new Error(code), { code }) } : undefined);

function setup(
  steps: Step[],
  config: Partial<RetryingFetchConfig> = {},
  call?: CallOptions,
  family: Family = 'billing',
) {
  const s = stub(steps);
  const delays: number[] = [];
  const retrying = createRetryingFetch({
    fetch: s.fetch,
    retry: { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8000 },
    timeoutMs: 30_000,
    idempotencyHonoured: () => true,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0,
    ...config,
  });
  return { ...s, delays, send: retrying(family, call) };
}

describe('createRetryingFetch: attempts', () => {
  it('sends a fresh clone per attempt, so the body is readable each time', async () => {
    const { send, seen } = setup([status(503), status(502)]);
    const res = await send(post('/api/v1/billing/wallet/topup'));
    expect(res.status).toBe(200);
    expect(seen.map((s) => s.body)).toEqual(Array(3).fill('{"amountUsd":5}'));
  });

  it('generates one Idempotency-Key per logical POST and reuses it on every attempt', async () => {
    const { send, seen } = setup([status(503), status(500)]);
    await send(post('/api/white-label/transfer'));
    expect(seen[0]?.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(seen.map((s) => s.key))).toEqual(new Set([seen[0]?.key]));
    const again = setup([]);
    await again.send(post('/api/white-label/transfer'));
    expect(again.seen[0]?.key).not.toBe(seen[0]?.key);
  });

  it('keeps a key the caller set, by header or by call option', async () => {
    const byHeader = setup([status(503)]);
    await byHeader.send(
      post('/api/v1/billing/wallet/credit', '{}', { headers: { 'Idempotency-Key': 'mine' } }),
    );
    expect(byHeader.seen.map((s) => s.key)).toEqual(['mine', 'mine']);
    const byOption = setup([status(503)], {}, { idempotencyKey: 'opt' });
    await byOption.send(post('/api/v1/billing/wallet/credit'));
    expect(byOption.seen.map((s) => s.key)).toEqual(['opt', 'opt']);
  });

  it('adds no key to a GET, nor to a POST for a server that ignores keys', async () => {
    const g = setup([]);
    await g.send(get('/api/v1/billing/wallet'));
    expect(g.seen[0]?.key).toBeNull();
    const p = setup([], { idempotencyHonoured: () => false });
    await p.send(post('/api/v1/reseller/credits/transfer'));
    expect(p.seen[0]?.key).toBeNull();
  });

  it('does not repeat a POST after a 5xx when the server ignores idempotency keys', async () => {
    const { send, seen } = setup([status(503)], { idempotencyHonoured: () => false });
    expect((await send(post('/api/v1/reseller/credits/transfer'))).status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('repeats that POST after a 429, which committed nothing', async () => {
    const { send, seen } = setup([status(429)], { idempotencyHonoured: () => false });
    expect((await send(post('/api/v1/reseller/credits/transfer'))).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('never retries the credit-send 501 business error', async () => {
    const { send, seen } = setup([status(501)], {}, undefined, 'credit-send');
    expect((await send(post('/credits/send', '{"user":11,"credits":2}'))).status).toBe(501);
    expect(seen).toHaveLength(1);
  });

  it('returns the last response when retries run out, with backoff between attempts', async () => {
    const { send, seen, delays } = setup([status(503), status(503), status(503), status(200)]);
    expect((await send(get('/api/v1/billing/wallet'))).status).toBe(503);
    expect(seen).toHaveLength(3);
    expect(delays).toEqual([500, 1000]);
  });

  it('uses the per-call retry option over the client policy', async () => {
    const off = setup([status(503)], {}, { retry: false });
    expect((await off.send(get('/api/v1/billing/wallet'))).status).toBe(503);
    expect(off.seen).toHaveLength(1);
    const one = setup(
      [status(503), status(503)],
      { retry: false },
      { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } },
    );
    await one.send(get('/api/v1/billing/wallet'));
    expect(one.seen).toHaveLength(2);
  });

  it('leaves the returned response body unread', async () => {
    const { send } = setup([new Response('{"balanceUsd":50}')]);
    expect(await (await send(get('/api/v1/billing/wallet'))).json()).toEqual({ balanceUsd: 50 });
  });
});

describe('createRetryingFetch: failures without a response', () => {
  it('retries a GET after a connection error', async () => {
    const { send, seen } = setup([fetchFailed('ECONNRESET')]);
    expect((await send(get('/api/v1/billing/wallet'))).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('throws ConnectionError for a POST reset after sending, when keys are not honoured', async () => {
    const { send, seen } = setup([fetchFailed('ECONNRESET')], { idempotencyHonoured: () => false });
    const error = await send(post('/api/v1/reseller/credits/transfer')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({
      name: 'ConnectionError',
      message: expect.stringMatching(/localhost:4010 \(1 attempt\)/),
    });
    expect((error as ConnectionError).cause).toBeInstanceOf(TypeError);
    expect(seen).toHaveLength(1);
  });

  it('retries that POST when the connection was refused (nothing was sent)', async () => {
    const { send, seen } = setup([fetchFailed('ECONNREFUSED')], { idempotencyHonoured: () => false });
    expect((await send(post('/api/v1/reseller/credits/transfer'))).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('throws ConnectionError once retries are exhausted', async () => {
    const { send, seen } = setup([fetchFailed(), fetchFailed(), fetchFailed()]);
    await expect(send(get('/api/v1/billing/wallet'))).rejects.toThrow(/\(3 attempts\).*Check the base URL/);
    expect(seen).toHaveLength(3);
  });
});

describe('createRetryingFetch: timers and cancellation', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const timed = (steps: Step[], config: Partial<RetryingFetchConfig> = {}, call?: CallOptions) => {
    const s = stub(steps);
    const send = createRetryingFetch({
      fetch: s.fetch,
      retry: { maxRetries: 1, baseDelayMs: 500, maxDelayMs: 8000 },
      timeoutMs: 1000,
      idempotencyHonoured: () => true,
      random: () => 0,
      ...config,
    })('billing', call);
    return { ...s, send };
  };

  it('times out each attempt, retries, then throws TimeoutError', async () => {
    const { send, seen } = timed(['hang', 'hang']);
    const result = send(get('/api/v1/billing/wallet')).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(999);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(500); // backoff
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    const error = await result;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({
      name: 'TimeoutError',
      message: expect.stringMatching(/1000 ms \(2 attempts\)/),
    });
  });

  it('recovers when the retry answers in time', async () => {
    const { send } = timed(['hang']);
    const result = send(get('/api/v1/billing/wallet'));
    await vi.advanceTimersByTimeAsync(1500);
    expect((await result).status).toBe(200);
  });

  it('honours a per-call timeoutMs', async () => {
    const { send, seen } = timed(['hang'], { retry: false }, { timeoutMs: 50 });
    const result = send(get('/api/v1/billing/wallet')).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(seen).toHaveLength(1);
  });

  it('throws TimeoutError at once for a POST whose key the server ignores', async () => {
    const { send, seen } = timed(['hang'], { idempotencyHonoured: () => false });
    const result = send(post('/api/v1/reseller/credits/transfer')).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(seen).toHaveLength(1);
  });

  it('aborts a request in flight when the caller aborts, without retrying', async () => {
    const caller = new AbortController();
    const { send, seen } = timed(['hang'], {}, { signal: caller.signal });
    const result = send(get('/api/v1/billing/wallet')).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    caller.abort(new Error('user left'));
    const error = await result;
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ name: 'AbortError', cause: new Error('user left') });
    expect(seen).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('also follows a signal set on the Request itself (openapi-fetch passes `signal` there)', async () => {
    const caller = new AbortController();
    const { send } = timed(['hang']);
    const result = send(get('/api/v1/billing/wallet', { signal: caller.signal })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    caller.abort();
    expect(await result).toBeInstanceOf(AbortError);
  });

  it('cancels the wait between attempts when the caller aborts', async () => {
    const caller = new AbortController();
    const { send, seen } = timed([status(503, { 'retry-after': '30' })], {}, { signal: caller.signal });
    const result = send(get('/api/v1/billing/wallet')).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    caller.abort();
    expect(await result).toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { send, seen } = timed([], {}, { signal: AbortSignal.abort() });
    await expect(send(get('/api/v1/billing/wallet'))).rejects.toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(0);
  });

  it('waits as long as Retry-After says before the next attempt', async () => {
    const { send, seen } = timed([status(429, { 'retry-after': '2' })]);
    const result = send(post('/api/v1/billing/wallet/credit'));
    await vi.advanceTimersByTimeAsync(1999);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await result).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('waits retry-after-ms when given', async () => {
    const { send, seen } = timed([status(503, { 'retry-after-ms': '120' })]);
    const result = send(get('/api/v1/billing/wallet'));
    await vi.advanceTimersByTimeAsync(119);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await result).status).toBe(200);
  });
});

describe('createRetryingFetch under openapi-fetch', () => {
  type Paths = {
    '/api/v1/billing/wallet/credit': {
      post: {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        requestBody: { content: { 'application/json': { amountUsd: number; reason: string } } };
        responses: {
          201: { headers: Record<string, unknown>; content: { 'application/json': { ok: boolean } } };
        };
      };
    };
  };

  it('runs middleware once per logical call while each attempt is sent, with per-call options', async () => {
    const s = stub([status(503), status(503)]);
    const retrying = createRetryingFetch({
      fetch: s.fetch,
      retry: { maxRetries: 2, baseDelayMs: 0, maxDelayMs: 0 },
      timeoutMs: 30_000,
      idempotencyHonoured: () => true,
      sleep: async () => {},
    });
    const client = createClient<Paths>({ baseUrl: ORIGIN, fetch: retrying('billing') });
    const onRequest = vi.fn();
    client.use({ onRequest });
    const { data, response } = await client.POST('/api/v1/billing/wallet/credit', {
      body: { amountUsd: 1, reason: 'goodwill' },
      fetch: retrying('billing', { idempotencyKey: 'call-1' }),
    });
    expect(response.status).toBe(200);
    expect(data).toEqual({ ok: true });
    expect(onRequest).toHaveBeenCalledTimes(1);
    expect(s.seen.map((x) => [x.key, x.body])).toEqual(
      Array(3).fill(['call-1', '{"amountUsd":1,"reason":"goodwill"}']),
    );
  });
});

describe('createRetryingFetch: the wait between attempts', () => {
  it("leaves no abort listener on a caller's signal once its wait ended", async () => {
    // A signal shared by many calls (one per page, say) must not collect a listener per retry.
    const controller = new AbortController();
    const { signal } = controller;
    const added = vi.spyOn(signal, 'addEventListener');
    const removed = vi.spyOn(signal, 'removeEventListener');
    const { fetch, seen } = stub([status(503), status(503)]);
    // The default sleep (no `sleep` in the config), on the caller's own signal: a client method's request.
    const send = createRetryingFetch({
      fetch,
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
      timeoutMs: 30_000,
      idempotencyHonoured: () => true,
      random: () => 0,
    })('billing', { signal });
    const request = Object.assign(post('/api/v1/billing/wallet/topup'), { [SENT_BODY]: '{"amountUsd":5}' });
    expect((await send(request)).status).toBe(200);
    expect(seen).toHaveLength(3);
    const abortListeners = (calls: readonly unknown[][]) =>
      calls.filter((args) => args[0] === 'abort').map((args) => args[1]);
    const gone = abortListeners(removed.mock.calls);
    expect(abortListeners(added.mock.calls).length).toBeGreaterThan(0);
    expect(abortListeners(added.mock.calls).filter((listener) => !gone.includes(listener))).toEqual([]);
  });
});
