import { afterEach, describe, expect, it } from 'vitest';
import { ClientOptionsError, DEFAULT_RETRY, resolveRetryPolicy, ServerError } from '../../src/index.js';
import { countRequests, demoClient, useReferenceServer } from './support.js';

const { server, app } = await useReferenceServer();
const WALLET = '/api/v1/billing/wallet';

afterEach(() => {
  server.events.removeAllListeners();
});

/** The problems a call is refused with (as a JavaScript caller could pass anything). */
async function problemsOf(options: unknown): Promise<string[]> {
  const error = await demoClient()
    .billing.getWallet(options as object)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (error === undefined) return [];
  if (!(error instanceof ClientOptionsError)) throw error;
  expect(error.message).toMatch(/^Invalid ledgerline call options:/);
  return error.problems;
}

describe('the retry policy in effect', () => {
  it('is the defaults, then the client option, then the call option, field by field', () => {
    expect(resolveRetryPolicy()).toEqual(DEFAULT_RETRY);
    expect(resolveRetryPolicy({ maxDelayMs: 20_000 }, { baseDelayMs: 10_000 })).toEqual({
      maxRetries: 2,
      baseDelayMs: 10_000,
      maxDelayMs: 20_000,
    });
    expect(resolveRetryPolicy({ maxRetries: 5 }, { maxRetries: 1 }).maxRetries).toBe(1);
    // `false` is `{ maxRetries: 0 }`: a later layer that sets maxRetries sends retries again.
    expect(resolveRetryPolicy(false).maxRetries).toBe(0);
    expect(resolveRetryPolicy({ maxRetries: 4 }, false).maxRetries).toBe(0);
    expect(resolveRetryPolicy(false, { maxRetries: 3 }).maxRetries).toBe(3);
    expect(resolveRetryPolicy(false, { baseDelayMs: 1 }).maxRetries).toBe(0);
  });

  it("checks a call's partial policy against the client's, not the defaults", async () => {
    const client = demoClient({ retry: { maxDelayMs: 20_000 } });
    await expect(client.billing.getWallet({ retry: { baseDelayMs: 10_000 } })).resolves.toMatchObject({
      balanceUsd: 50,
    });
  });

  it('refuses a call whose merged policy is invalid, showing the values in effect', async () => {
    const sent = countRequests(server, WALLET);
    const client = demoClient({ retry: { baseDelayMs: 100, maxDelayMs: 200 } });
    const refused = client.billing.getWallet({ retry: { baseDelayMs: 1000 } });
    await expect(refused).rejects.toBeInstanceOf(ClientOptionsError);
    await expect(refused).rejects.toMatchObject({
      problems: [
        "retry.maxDelayMs: expected at least retry.baseDelayMs; in effect (the call's over the client's) 1000 and 200",
      ],
    });
    expect(sent()).toBe(0);
  });

  it('runs the policy it checked: the call sets maxRetries, the client keeps its delays', async () => {
    app.faults.add({ path: WALLET, kind: 'status', status: 503 });
    const sent = countRequests(server, WALLET);
    const client = demoClient({ retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(client.billing.getWallet({ retry: { maxRetries: 3 } })).rejects.toBeInstanceOf(ServerError);
    expect(sent()).toBe(4);
    await expect(demoClient({ retry: false }).billing.getWallet()).rejects.toBeInstanceOf(ServerError);
    expect(sent()).toBe(5);
  });
});

describe('per-call options are checked at run time', () => {
  const KNOWN = 'expected only signal, timeoutMs, idempotencyKey, retry, headers';
  it.each([
    [{ timeout: 5 }, `options: ${KNOWN}, got "timeout" (did you mean timeoutMs?)`],
    [{ maxRetries: 0 }, `options: ${KNOWN}, got "maxRetries" (did you mean retry?)`],
    [{ idempotency_key: 'k' }, `options: ${KNOWN}, got "idempotency_key" (did you mean idempotencyKey?)`],
    [
      { abortSignal: AbortSignal.timeout(1000) },
      `options: ${KNOWN}, got "abortSignal" (did you mean signal?)`,
    ],
    [{ header: { 'x-a': '1' } }, `options: ${KNOWN}, got "header" (did you mean headers?)`],
    [{ idempotency: 'k' }, `options: ${KNOWN}, got "idempotency" (did you mean idempotencyKey?)`],
    [{ colour: 'red' }, `options: ${KNOWN}, got "colour"`],
    [{ timeoutMs: '5' }, 'timeoutMs: expected an integer 1..600000, got "5"'],
    [{ timeoutMs: 0 }, 'timeoutMs: expected an integer 1..600000, got 0'],
    [{ signal: {} }, 'signal: expected an AbortSignal'],
    [{ signal: { aborted: false } }, 'signal: expected an AbortSignal'],
    [{ signal: { addEventListener() {} } }, 'signal: expected an AbortSignal'],
    [
      { idempotencyKey: 42 },
      'idempotencyKey: expected a string of 1..255 printable ASCII characters, got 42',
    ],
    [
      { idempotencyKey: '\u00e9-1042' },
      'idempotencyKey: expected a string of 1..255 printable ASCII characters, got "\u00e9-1042"',
    ],
    [
      { idempotencyKey: 'order-1042\n' },
      'idempotencyKey: expected a string of 1..255 printable ASCII characters, got "order-1042\\n"',
    ],
    [
      { headers: 'X-Trace: abc' },
      'headers: expected an object of header names to string values, got "X-Trace: abc"',
    ],
    [
      { idempotencyKey: '' },
      'idempotencyKey: expected a string of 1..255 printable ASCII characters, got ""',
    ],
    [
      { retry: true },
      'retry: expected false or an object with maxRetries, baseDelayMs, maxDelayMs, got true',
    ],
    [
      { retry: { retries: 1 } },
      'retry: expected only maxRetries, baseDelayMs, maxDelayMs, got "retries" (did you mean maxRetries?)',
    ],
    [{ retry: { maxRetries: 11 } }, 'retry.maxRetries: expected an integer 0..10, got 11'],
  ])('%o', async (options, problem) => {
    const sent = countRequests(server, WALLET);
    expect(await problemsOf(options)).toEqual([problem]);
    expect(sent()).toBe(0);
  });

  it('lists every problem at once', async () => {
    expect(await problemsOf({ timeout: 5, retry: { maxRetries: -1 } })).toEqual([
      `options: expected only signal, timeoutMs, idempotencyKey, retry, headers, got "timeout" (did you mean timeoutMs?)`,
      'retry.maxRetries: expected an integer 0..10, got -1',
    ]);
  });

  it('accepts every documented option', async () => {
    expect(
      await problemsOf({
        signal: new AbortController().signal,
        timeoutMs: 5000,
        idempotencyKey: 'order-1042',
        retry: false,
        headers: { 'X-Trace': 'abc' },
      }),
    ).toEqual([]);
  });
});
