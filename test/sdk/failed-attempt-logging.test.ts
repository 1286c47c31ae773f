import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ConnectionError,
  createClient,
  type LogDetails,
  type Logger,
  type LogLevel,
  NotFoundError,
  TimeoutError,
} from '../../src/index.js';

// A transport of the test's own (the `fetch` option): each test decides what every attempt gets.
type Step = Response | 'reject' | 'hang' | 'throw undefined';
const WALLET = '/api/v1/billing/wallet';

/** A logger that keeps every line. */
function recorder() {
  const lines: { level: keyof Logger; message: string; details: LogDetails }[] = [];
  const at =
    (level: keyof Logger) =>
    (message: string, details: unknown): void => {
      lines.push({ level, message, details: details as LogDetails });
    };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

/** A billing client whose attempts get `steps` in order (then a wallet), logging at `logLevel`. */
function clientOf(steps: Step[], logLevel: LogLevel = 'debug', maxRetries = 0) {
  const { logger, lines } = recorder();
  const fetch = async (_request: Request, init?: RequestInit): Promise<Response> => {
    const step = steps.shift() ?? Response.json({ data: { balanceUsd: 12.5 } });
    if (step === 'reject') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    // A transport may reject with anything, even nothing.
    if (step === 'throw undefined') throw undefined;
    if (step === 'hang')
      return new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    return step;
  };
  const client = createClient({
    baseUrl: 'http://localhost:4010',
    credentials: { billing: { apiKey: 'flowyte_sk_test_demo' } },
    fetch,
    logger,
    logLevel,
    timeoutMs: 50,
    retry: maxRetries ? { maxRetries, baseDelayMs: 1, maxDelayMs: 1 } : false,
  });
  return { billing: client.billing, lines };
}

describe('an attempt without an answer', () => {
  it('logs why (connection) on every attempt and at the end, with no status or request id', async () => {
    const { billing, lines } = clientOf(['reject', 'reject'], 'debug', 1);
    const before = performance.now();
    await expect(billing.getWallet()).rejects.toBeInstanceOf(ConnectionError);
    const elapsed = performance.now() - before;
    expect(lines.map(({ level }) => level)).toEqual(['debug', 'info', 'debug', 'error']);
    expect(lines[0]?.details).toStrictEqual({
      family: 'billing',
      method: 'GET',
      path: WALLET,
      attempt: 1,
      durationMs: expect.any(Number),
      reason: 'connection',
    });
    expect(lines[0]?.message).toMatch(
      /^ledgerline: attempt 1, GET \/api\/v1\/billing\/wallet: no answer \(connection\) in \d+ ms$/,
    );
    expect(lines[3]?.message).toMatch(
      /^ledgerline: failed after 2 attempts, GET \S+: no answer \(connection\) in \d+ ms$/,
    );
    // Durations are measured from the attempt's or the call's start: never more than the call took.
    for (const { details } of lines) expect(details.durationMs).toBeLessThanOrEqual(Math.ceil(elapsed));
  });

  it('logs a timeout as the reason and fails with TimeoutError', async () => {
    const { billing, lines } = clientOf(['hang']);
    await expect(billing.getWallet()).rejects.toBeInstanceOf(TimeoutError);
    expect(lines[0]?.details.reason).toBe('timeout');
  });

  it("logs the caller's abort as the reason and fails with AbortError carrying the abort's reason", async () => {
    const { billing, lines } = clientOf(['hang']);
    const controller = new AbortController();
    const pending = billing.getWallet({ signal: controller.signal });
    setTimeout(() => controller.abort('user left'), 5);
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ message: 'Aborted by the caller.', cause: 'user left' });
    expect(lines[0]?.details.reason).toBe('aborted');
  });

  it('a transport that rejects with nothing is a ConnectionError', async () => {
    const { billing } = clientOf(['throw undefined'], 'off');
    await expect(billing.getWallet()).rejects.toBeInstanceOf(ConnectionError);
  });
});

describe('the line that ends a failed call', () => {
  it.each([
    [404, 'warn'],
    [429, 'error'],
    [500, 'error'],
    [503, 'error'],
  ])('a final %i is logged at %s, after 1 attempt', async (status, level) => {
    const { billing, lines } = clientOf([new Response('{}', { status })], 'warn');
    await expect(billing.getWallet()).rejects.toMatchObject({ status });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(level);
    expect(lines[0]?.message).toMatch(
      new RegExp(`^ledgerline: failed after 1 attempt, GET \\S+: ${status} in \\d+ ms$`),
    );
    expect(lines[0]?.details).not.toHaveProperty('requestId');
  });

  it('at error, a final 4xx logs nothing and still rejects with its ApiError', async () => {
    const { billing, lines } = clientOf([new Response('{}', { status: 404 })], 'error');
    await expect(billing.getWallet()).rejects.toBeInstanceOf(NotFoundError);
    expect(lines).toEqual([]);
  });
});

describe('a retried answer', () => {
  it('without a body is dropped and the next attempt answers', async () => {
    const { billing } = clientOf([new Response(null, { status: 503 })], 'off', 1);
    await expect(billing.getWallet()).resolves.toEqual({ balanceUsd: 12.5 });
  });
});
