import { describe, expect, it, vi } from 'vitest';
import { ClientOptionsError } from '../../src/core/errors.js';
import { type ClientOptions, normalizeClientOptions } from '../../src/core/options.js';

/** The problems a (possibly mistyped, as from JavaScript) options object is rejected with. */
function problemsOf(options: unknown): string[] {
  try {
    normalizeClientOptions(options as ClientOptions);
  } catch (e) {
    if (e instanceof ClientOptionsError) return e.problems;
    throw e;
  }
  return [];
}

describe('normalizeClientOptions: defaults', () => {
  it('uses the documented hosts, default retry and timeout', () => {
    const o = normalizeClientOptions();
    expect(o.baseUrls).toEqual({
      whiteLabel: 'https://app.autocalls.ai',
      reseller: 'https://backend.omnidim.io',
      creditSend: 'https://public-api.timesafe.io',
      billing: 'https://builder.flowyte.com',
    });
    expect(o.retry).toEqual({ maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8000 });
    expect(o.timeoutMs).toBe(30_000);
    expect(o.credentials).toEqual({});
  });

  it('one baseUrl serves every family, trailing slash removed', () => {
    const o = normalizeClientOptions({ baseUrl: 'http://localhost:4010/' });
    expect(Object.values(o.baseUrls)).toEqual(Array(4).fill('http://localhost:4010'));
  });

  it('baseUrls override some families, the rest keep their hosts', () => {
    const o = normalizeClientOptions({ baseUrls: { billing: 'http://127.0.0.1:9000' } });
    expect(o.baseUrls.billing).toBe('http://127.0.0.1:9000');
    expect(o.baseUrls.reseller).toBe('https://backend.omnidim.io');
  });

  it('merges a partial retry policy; false disables retries', () => {
    expect(normalizeClientOptions({ retry: { maxRetries: 5 } }).retry).toEqual({
      maxRetries: 5,
      baseDelayMs: 500,
      maxDelayMs: 8000,
    });
    expect(normalizeClientOptions({ retry: false }).retry).toBe(false);
  });

  it('default fetch looks globalThis.fetch up per call, so later interceptors apply', async () => {
    const o = normalizeClientOptions();
    const fake = vi.fn(async () => new Response('late'));
    vi.stubGlobal('fetch', fake);
    try {
      expect(await (await o.fetch(new Request('http://x.test/'))).text()).toBe('late');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('normalizeClientOptions: idempotency', () => {
  it('documented hosts: only billing honours keys', () => {
    expect([...normalizeClientOptions().idempotencyHonouredBy]).toEqual(['billing']);
  });

  it('the reference server (any other host): every family', () => {
    expect([...normalizeClientOptions({ baseUrl: 'http://localhost:4010' }).idempotencyHonouredBy]).toEqual([
      'white-label',
      'reseller',
      'credit-send',
      'billing',
    ]);
  });

  it('decided per family from its own base URL', () => {
    const o = normalizeClientOptions({
      baseUrls: { reseller: 'http://localhost:4010', whiteLabel: 'https://app.autocalls.ai/' },
    });
    expect([...o.idempotencyHonouredBy].sort()).toEqual(['billing', 'reseller']);
  });

  it('an explicit list wins', () => {
    const o = normalizeClientOptions({
      baseUrl: 'http://localhost:4010',
      idempotency: { honouredBy: ['creditSend'] },
    });
    expect([...o.idempotencyHonouredBy]).toEqual(['credit-send']);
    expect([...normalizeClientOptions({ idempotency: { honouredBy: [] } }).idempotencyHonouredBy]).toEqual(
      [],
    );
  });
});

describe('normalizeClientOptions: problems', () => {
  it('accepts every documented credential form', () => {
    expect(
      problemsOf({
        credentials: {
          whiteLabel: { apiKey: 'wl' },
          reseller: { apiKey: 'rs' },
          creditSend: { email: 'ada@example.com', secret: 's', ttlSeconds: 5 },
          billing: { sessionToken: 'sess' },
        },
      }),
    ).toEqual([]);
    expect(
      problemsOf({
        credentials: { creditSend: { token: 'jwt' }, billing: { apiKey: 'k', sessionToken: 's' } },
      }),
    ).toEqual([]);
  });

  it('rejects baseUrl with baseUrls', () => {
    expect(problemsOf({ baseUrl: 'http://a.test', baseUrls: { billing: 'http://b.test' } })).toEqual([
      'baseUrl, baseUrls: expected one or the other, not both',
    ]);
  });

  const FAMILY_LIST = 'whiteLabel, reseller, creditSend, billing';
  const URL_HINT = 'expected an http(s) URL such as "http://localhost:4010"';
  const CREDIT_SEND = 'credentials.creditSend: expected { token } or { email, secret, ttlSeconds? }';
  const BILLING =
    'credentials.billing: expected { apiKey?: string, sessionToken?: string } with at least one';
  it.each([
    [{ baseUrl: 'localhost:4010' }, `baseUrl: ${URL_HINT}, got "localhost:4010"`],
    [{ baseUrl: 'http://a.test/?x=1' }, `baseUrl: ${URL_HINT}, got "http://a.test/?x=1"`],
    [{ baseUrls: { billing: 42 } }, `baseUrls.billing: ${URL_HINT}, got 42`],
    [{ baseUrls: 'http://a.test' }, `baseUrls: expected an object with ${FAMILY_LIST}, got "http://a.test"`],
    [{ baseUrls: { wallet: 'http://a.test' } }, `baseUrls: expected only ${FAMILY_LIST}, got "wallet"`],
    [
      { baseURL: 'http://a.test' },
      'options: expected only baseUrl, baseUrls, credentials, retry, timeoutMs, fetch, idempotency, middleware, defaultHeaders, logger, logLevel, got "baseURL"',
    ],
    [{ credentials: { whiteLabel: { apiKey: '' } } }, 'credentials.whiteLabel: expected { apiKey: string }'],
    [{ credentials: { reseller: 'rs_demo' } }, 'credentials.reseller: expected { apiKey: string }'],
    [{ credentials: { creditsend: {} } }, `credentials: expected only ${FAMILY_LIST}, got "creditsend"`],
    [{ credentials: { creditSend: { email: 'a@b.c' } } }, CREDIT_SEND],
    [{ credentials: { creditSend: { token: 't', email: 'a@b.c', secret: 's' } } }, CREDIT_SEND],
    [
      { credentials: { creditSend: { email: 'a', secret: 's', ttlSeconds: 4 } } },
      'credentials.creditSend.ttlSeconds: expected an integer 5..86400, got 4',
    ],
    [{ credentials: { billing: {} } }, BILLING],
    [{ credentials: { billing: { apiKey: 'k', sessionToken: 3 } } }, BILLING],
    [{ retry: { maxRetries: 11 } }, 'retry.maxRetries: expected an integer 0..10, got 11'],
    [
      { retry: { baseDelayMs: 1000, maxDelayMs: 500 } },
      'retry.maxDelayMs: expected at least retry.baseDelayMs',
    ],
    [
      { retry: true },
      'retry: expected false or an object with maxRetries, baseDelayMs, maxDelayMs, got true',
    ],
    [{ retry: { retries: 3 } }, 'retry: expected only maxRetries, baseDelayMs, maxDelayMs, got "retries"'],
    [{ timeoutMs: 0 }, 'timeoutMs: expected an integer 1..600000, got 0'],
    [{ timeoutMs: '30s' }, 'timeoutMs: expected an integer 1..600000, got "30s"'],
    [{ fetch: 'fetch' }, 'fetch: expected a function (Request) => Promise<Response>'],
    [{ idempotency: ['billing'] }, 'idempotency: expected an object with honouredBy, got ["billing"]'],
    [
      { idempotency: { honouredBy: ['wallet'] } },
      `idempotency.honouredBy: expected a list of ${FAMILY_LIST}, got ["wallet"]`,
    ],
    // With both, only baseUrl is checked further: the one problem is to give one of them.
    [
      { baseUrl: 'http://a.test', baseUrls: { billing: 42 } },
      'baseUrl, baseUrls: expected one or the other, not both',
    ],
    [{ middleware: { onRequest() {} } }, 'middleware: expected a list of openapi-fetch middleware objects'],
    [{ middleware: [{}, 'auth'] }, 'middleware: expected a list of openapi-fetch middleware objects'],
    [
      { logger: { info() {} } },
      'logger: expected an object with debug, info, warn and error methods (console, pino, ...)',
    ],
  ])('%o', (options, problem) => {
    expect(problemsOf(options)).toEqual([problem]);
  });

  it('lists every problem at once, in a TypeError', () => {
    let error: unknown;
    try {
      normalizeClientOptions({
        timeoutMs: -1,
        retry: { maxRetries: -1 },
        credentials: { reseller: { apiKey: '' } },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ name: 'ClientOptionsError' });
    expect((error as ClientOptionsError).problems).toEqual([
      'credentials.reseller: expected { apiKey: string }',
      'retry.maxRetries: expected an integer 0..10, got -1',
      'timeoutMs: expected an integer 1..600000, got -1',
    ]);
    expect((error as Error).message).toBe(
      'Invalid ledgerline client options:\n- credentials.reseller: expected { apiKey: string }\n- retry.maxRetries: expected an integer 0..10, got -1\n- timeoutMs: expected an integer 1..600000, got -1',
    );
  });

  it('accepts the ends of every range', () => {
    expect(
      problemsOf({
        timeoutMs: 600_000,
        retry: { maxRetries: 10, baseDelayMs: 60_000, maxDelayMs: 60_000 },
        credentials: { creditSend: { email: 'a@b.c', secret: 's', ttlSeconds: 86_400 } },
      }),
    ).toEqual([]);
    expect(problemsOf({ timeoutMs: 1, retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0 } })).toEqual([]);
  });

  it('rejects options that are not an object', () => {
    expect(problemsOf('http://localhost:4010')).toEqual([
      'options: expected an object with baseUrl, baseUrls, credentials, retry, timeoutMs, fetch, idempotency, middleware, defaultHeaders, logger, logLevel, got "http://localhost:4010"',
    ]);
  });
});
