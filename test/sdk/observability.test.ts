import { afterEach, describe, expect, it, vi } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import {
  ClientOptionsError,
  createBillingClient,
  createClient,
  createWhiteLabelClient,
  type LogDetails,
  type Logger,
  ServerError,
} from '../../src/index.js';
import { DEMO_CREDENTIALS, demoClient, useReferenceServer } from './support.js';

const { server, app } = await useReferenceServer();
const WALLET = '/api/v1/billing/wallet';
const TRANSFER = '/api/v1/reseller/credits/transfer';
const order = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 } as const;

afterEach(() => {
  server.events.removeAllListeners();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A logger that keeps every line: level, message and details. */
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

/** The headers of every request MSW sees from now on. */
function sentHeaders(): Headers[] {
  const seen: Headers[] = [];
  server.events.on('request:start', ({ request }) => {
    seen.push(request.headers);
  });
  return seen;
}

describe('logging', () => {
  it('is off by default: nothing reaches the logger or the console', async () => {
    const { logger, lines } = recorder();
    const console = vi.spyOn(globalThis.console, 'debug');
    app.faults.add({ path: WALLET, kind: 'status', status: 503, times: 1 });
    await demoClient({ logger }).billing.getWallet();
    expect(lines).toEqual([]);
    expect(console).not.toHaveBeenCalled();
  });

  it('goes to the console unless told otherwise', async () => {
    const info = vi.spyOn(globalThis.console, 'info').mockImplementation(() => {});
    app.faults.add({ path: WALLET, kind: 'status', status: 503, times: 1 });
    await demoClient({ logLevel: 'info' }).billing.getWallet();
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0]?.[0]).toMatch(
      /^ledgerline: retrying in \d+ ms \(status 503\), GET \/api\/v1\/billing\/wallet: 503/,
    );
  });

  it('at debug: every attempt, the retry with its reason and wait, with method, path, status, request id, duration', async () => {
    const { logger, lines } = recorder();
    app.faults.add({ path: WALLET, kind: 'status', status: 503, times: 1 });
    const { requestId } = await demoClient({ logger, logLevel: 'debug' }).billing.getWallet().withResponse();
    expect(lines.map(({ level }) => level)).toEqual(['debug', 'info', 'debug']);
    const [first, retry, second] = lines.map(({ details }) => details);
    expect(first).toMatchObject({ family: 'billing', method: 'GET', path: WALLET, attempt: 1, status: 503 });
    expect(first?.durationMs).toBeGreaterThanOrEqual(0);
    expect(retry).toMatchObject({ attempt: 1, status: 503, reason: 'status 503' });
    expect(retry?.waitMs).toBeGreaterThanOrEqual(0);
    expect(second).toMatchObject({ attempt: 2, status: 200, requestId });
    expect(lines[0]?.message).toMatch(
      /^ledgerline: attempt 1, GET \/api\/v1\/billing\/wallet: 503 in \d+ ms/,
    );
    expect(lines[1]?.message).toMatch(/^ledgerline: retrying in \d+ ms \(status 503\), GET /);
    expect(lines[2]?.message).toContain(`(request ${requestId})`);
  });

  it('at error: only a call that fails, with its attempts, status and duration', async () => {
    const { logger, lines } = recorder();
    app.faults.add({ path: WALLET, kind: 'status', status: 503 });
    await expect(demoClient({ logger, logLevel: 'error' }).billing.getWallet()).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      details: { method: 'GET', path: WALLET, attempt: 3, status: 503 },
    });
    expect(lines[0]?.message).toMatch(/^ledgerline: failed after 3 attempts, GET \S+: 503 in \d+ ms/);
  });

  it('at warn: a 4xx that ends a call is a warning', async () => {
    const { logger, lines } = recorder();
    const client = demoClient({ logger, logLevel: 'warn' });
    await expect(client.reseller.transfer({ ...order, minutes: -1 })).rejects.toMatchObject({ status: 400 });
    expect(lines.map(({ level, details }) => [level, details.status])).toEqual([['warn', 400]]);
  });

  it('reads the level from LEDGERLINE_LOG in Node; the option wins', async () => {
    const { logger, lines } = recorder();
    vi.stubEnv('LEDGERLINE_LOG', 'debug');
    await demoClient({ logger }).billing.getWallet();
    expect(lines.map(({ level }) => level)).toEqual(['debug']);
    await demoClient({ logger, logLevel: 'off' }).billing.getWallet();
    expect(lines).toHaveLength(1);
  });

  it('refuses an unknown level, from the options or the environment', () => {
    vi.stubEnv('LEDGERLINE_LOG', 'verbose');
    expect(() => createClient()).toThrow(
      'LEDGERLINE_LOG (environment): expected one of debug, info, warn, error, off, got "verbose"',
    );
    expect(() => createClient({ logLevel: 'warn' })).not.toThrow();
    expect(() => createClient({ logLevel: 'trace' as 'debug' })).toThrow(
      'logLevel: expected one of debug, info, warn, error, off, got "trace"',
    );
    expect(() => createClient({ logLevel: 'off', logger: {} as Logger })).toThrow(
      'logger: expected an object with debug, info, warn and error methods',
    );
  });

  it('never writes a credential or a token, whatever happens', async () => {
    const { logger, lines } = recorder();
    const headers = sentHeaders();
    app.faults.add({ path: TRANSFER, kind: 'status', status: 503, times: 1 });
    const client = demoClient({ logger, logLevel: 'debug' });
    await client.reseller.transfer(order);
    await client.creditSend.send({ user: 11, credits: 2 }); // logs in with the email and secret first
    await client.whiteLabel.listUsers();
    await client.billing.getWallet();
    await client.billing.topUp({ amountUsd: 10 }).catch(() => undefined);
    const wrong = createClient({
      baseUrl: 'http://localhost:4010',
      credentials: { reseller: { apiKey: 'rs_wrong_secret' } },
      logger,
      logLevel: 'debug',
    });
    await expect(wrong.reseller.transfer(order)).rejects.toMatchObject({ status: 401 });
    const written = JSON.stringify(lines);
    const secrets = [
      ...Object.values(DEMO_CREDENTIALS).flatMap((credential) => Object.values(credential)),
      'rs_wrong_secret',
      ...headers.flatMap((h) => [h.get('authorization'), h.get('token')]).filter((v) => v !== null),
    ].filter((secret) => secret !== 'ada@example.com');
    expect(secrets.some((secret) => secret.startsWith('ey'))).toBe(true); // the credit-send JWT
    expect(lines.length).toBeGreaterThan(6);
    for (const secret of secrets) expect(written).not.toContain(secret.replace(/^Bearer /, ''));
  });
});

describe('headers', () => {
  it("sends User-Agent ledgerline/<version> in Node, defaultHeaders, and a call's headers over them", async () => {
    const headers = sentHeaders();
    const client = demoClient({ defaultHeaders: { 'X-Team': 'payments', 'X-Trace': 'default' } });
    await client.billing.getWallet({ headers: { 'x-trace': 'call-1' } });
    await client.billing.getWallet();
    expect(headers.map((h) => [h.get('user-agent'), h.get('x-team'), h.get('x-trace')])).toEqual([
      [`ledgerline/${pkg.version}`, 'payments', 'call-1'],
      [`ledgerline/${pkg.version}`, 'payments', 'default'],
    ]);
    // The credential is still the client's.
    expect(headers[0]?.get('authorization')).toBe('Bearer flowyte_sk_test_demo');
  });

  it('lets defaultHeaders replace the User-Agent, and reaches client.paths too', async () => {
    const headers = sentHeaders();
    const client = createClient({
      baseUrl: 'http://localhost:4010',
      defaultHeaders: { 'user-agent': 'my-app/2' },
    });
    await client.paths.billing.GET('/api/v1/billing/wallet', {
      headers: { Authorization: 'Bearer flowyte_sk_test_demo' },
    });
    expect(headers[0]?.get('user-agent')).toBe('my-app/2');
  });

  it('refuses a credential header or Idempotency-Key, naming what to give instead', async () => {
    expect(() =>
      createWhiteLabelClient({
        baseUrl: 'http://localhost:4010',
        defaultHeaders: { Authorization: 'Bearer x' },
      }),
    ).toThrow(
      'defaultHeaders.Authorization: expected no Authorization header: give credentials.whiteLabel instead',
    );
    const headers = sentHeaders();
    const billing = createBillingClient({ baseUrl: 'http://localhost:4010', credentials: DEMO_CREDENTIALS });
    const refused = billing.credit(
      { amountUsd: 5, reason: 'goodwill' },
      { headers: { 'Idempotency-Key': 'k-1', token: 'x' } },
    );
    await expect(refused).rejects.toBeInstanceOf(ClientOptionsError);
    await expect(refused).rejects.toMatchObject({
      problems: [
        "headers.Idempotency-Key: expected no Idempotency-Key header: give a call's idempotencyKey option instead",
      ],
    });
    const creditSend = demoClient().creditSend;
    await expect(
      creditSend.send({ user: 11, credits: 2 }, { headers: { TOKEN: 'jwt' } }),
    ).rejects.toMatchObject({
      problems: ['headers.TOKEN: expected no TOKEN header: give credentials.creditSend instead'],
    });
    expect(headers).toEqual([]);
  });

  it('refuses headers that are not names to strings', async () => {
    expect(() => createClient({ defaultHeaders: { 'X-Count': 3 as unknown as string } })).toThrow(
      'defaultHeaders.X-Count: expected a string on one line',
    );
    await expect(
      demoClient().billing.getWallet({ headers: { 'bad name': 'x', 'x-a': 'one\ntwo' } }),
    ).rejects.toMatchObject({
      problems: [
        'headers: expected header names of letters, digits and -, got "bad name"',
        'headers.x-a: expected a string on one line',
      ],
    });
  });
});

describe('credentials from the environment (Node)', () => {
  it.each([
    [
      'LEDGERLINE_WHITE_LABEL_API_KEY',
      'wl_admin_demo',
      () => createClient({ baseUrl: 'http://localhost:4010' }).whiteLabel.listUsers(),
    ],
    [
      'LEDGERLINE_BILLING_API_KEY',
      'flowyte_sk_test_demo',
      () => createClient({ baseUrl: 'http://localhost:4010' }).billing.getWallet(),
    ],
    [
      'OMNIDIM_API_KEY',
      'rs_demo',
      () => createClient({ baseUrl: 'http://localhost:4010' }).reseller.transfer(order),
    ],
  ])('%s', async (variable, value, call) => {
    await expect(call()).rejects.toMatchObject({ status: 401 });
    vi.stubEnv(variable, value);
    await expect(call()).resolves.toBeDefined();
  });
});
