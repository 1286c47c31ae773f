import { describe, expect, it, vi } from 'vitest';
import { type RetryInput, retryAfterMs, retryDelayMs, shouldRetry } from '../../src/core/retry.js';

const base: RetryInput = { method: 'GET', family: 'billing', attempt: 0, maxRetries: 2, idempotent: false };

describe('shouldRetry', () => {
  it.each<[string, Partial<RetryInput>, boolean]>([
    ['GET after 503', { status: 503 }, true],
    ['GET after 500', { status: 500 }, true],
    ['GET after 408', { status: 408 }, true],
    ['GET after 429', { status: 429 }, true],
    ['GET after 409 (key in flight)', { status: 409 }, true],
    ['GET after timeout', { error: 'timeout' }, true],
    ['GET after connection error', { error: 'connection' }, true],
    ['PUT after 502', { method: 'PUT', status: 502 }, true],
    ['DELETE after timeout', { method: 'DELETE', error: 'timeout' }, true],
    ['GET after 400', { status: 400 }, false],
    ['GET after 401', { status: 401 }, false],
    ['GET after 404', { status: 404 }, false],
    ['GET after 422', { status: 422 }, false],
    ['2xx', { status: 200 }, false],
    ['caller abort', { error: 'abort' }, false],
    ['caller abort even with idempotency', { method: 'POST', error: 'abort', idempotent: true }, false],
    ['retries exhausted', { status: 503, attempt: 2 }, false],
    ['maxRetries 0', { status: 503, maxRetries: 0 }, false],
    [
      'credit-send 501 (business error)',
      { family: 'credit-send', status: 501, method: 'POST', idempotent: true },
      false,
    ],
    ['credit-send 501 on GET', { family: 'credit-send', status: 501 }, false],
    ['credit-send 503', { family: 'credit-send', status: 503 }, true],
    ['billing 501', { status: 501 }, true],
    ['POST after 503 without idempotency', { method: 'POST', status: 503 }, false],
    ['POST after 503 with idempotency', { method: 'POST', status: 503, idempotent: true }, true],
    ['POST after 408 without idempotency', { method: 'POST', status: 408 }, false],
    ['POST after timeout without idempotency', { method: 'POST', error: 'timeout' }, false],
    ['POST after timeout with idempotency', { method: 'POST', error: 'timeout', idempotent: true }, true],
    ['POST after reset after sending', { method: 'POST', error: 'connection', afterSend: true }, false],
    ['POST after connection error, unknown when', { method: 'POST', error: 'connection' }, false],
    ['POST after reset, idempotent', { method: 'POST', error: 'connection', idempotent: true }, true],
    [
      'POST after refused connection (never sent)',
      { method: 'POST', error: 'connection', afterSend: false },
      true,
    ],
    ['POST after 429', { method: 'POST', status: 429 }, true],
    ['POST after 409', { method: 'POST', status: 409 }, true],
    ['PATCH after 500', { method: 'PATCH', status: 500 }, false],
    ['lower-case method', { method: 'get', status: 500 }, true],
  ])('%s -> %s', (_, input, expected) => {
    expect(shouldRetry({ ...base, ...input })).toBe(expected);
  });
});

const policy = { baseDelayMs: 500, maxDelayMs: 8000 };
const headers = (init: Record<string, string>) => new Headers(init);

describe('retryDelayMs', () => {
  it('backs off exponentially from baseDelayMs without jitter at random 0', () => {
    expect([0, 1, 2, 3].map((a) => retryDelayMs(a, policy, undefined, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
  });

  it('caps the backoff at maxDelayMs', () => {
    expect(retryDelayMs(10, policy, undefined, () => 0)).toBe(8000);
  });

  it('jitters down by at most 25 %', () => {
    expect(retryDelayMs(1, policy, undefined, () => 0.999_999)).toBeCloseTo(750, 1);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(2, policy);
      expect(delay).toBeGreaterThan(1500);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });

  it('honours Retry-After in seconds, without jitter or maxDelayMs', () => {
    expect(retryDelayMs(0, policy, headers({ 'retry-after': '12' }), () => 0.5)).toBe(12_000);
  });

  it('honours Retry-After in fractional seconds, with spaces around', () => {
    expect(retryAfterMs(headers({ 'retry-after': '2.25' }))).toBe(2250);
    expect(retryAfterMs(headers({ 'retry-after': ' 2.5 ' }))).toBe(2500);
    expect(retryAfterMs(headers({ 'retry-after': ' 3' }))).toBe(3000);
  });

  it('honours Retry-After as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now)).toBe(7000);
    expect(retryAfterMs(headers({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now)).toBe(0);
  });

  it('reads an asctime Retry-After (an HTTP date form a reader must accept) as a GMT date, not seconds', () => {
    // Away from GMT, where a date without a zone would be read as local time.
    vi.stubEnv('TZ', 'America/New_York');
    try {
      const now = Date.parse('1994-11-06T08:49:30Z');
      expect(retryAfterMs(headers({ 'retry-after': 'Sun Nov  6 08:49:37 1994' }), now)).toBe(7000);
      expect(retryAfterMs(headers({ 'retry-after': 'Sun Nov  6 08:49:37 1994' }), now + 60_000)).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('prefers retry-after-ms over Retry-After', () => {
    expect(retryDelayMs(0, policy, headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
  });

  it('caps server hints at 60 s', () => {
    expect(retryDelayMs(0, policy, headers({ 'retry-after': '3600' }))).toBe(60_000);
    expect(retryDelayMs(0, policy, headers({ 'retry-after-ms': '90000' }))).toBe(60_000);
  });

  it('falls back to backoff when the hint is absent or unparsable', () => {
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryDelayMs(0, policy, headers({ 'retry-after': 'soon' }), () => 0)).toBe(500);
  });
});
