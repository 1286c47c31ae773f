import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../src/index.js';
import { countRequests, DEMO_CREDENTIALS, demoClient, useReferenceServer } from './support.js';

const { server } = await useReferenceServer();
const LOGIN = '/user/login';
const SEND = '/credits/send';
const START = Date.parse('2025-06-01T12:00:00Z');

// Only the SDK's local time moves: the reference server keeps its own clock, so a token the SDK
// renews early is still valid there and a renewal can only come from the SDK's own reckoning.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
});
afterEach(() => {
  server.events.removeAllListeners();
  vi.useRealTimers();
});

/** A client logging in with the demo email and secret and `ttlSeconds` (the default 3600 when omitted). */
const loginClient = (ttlSeconds?: number) =>
  demoClient({
    credentials: { creditSend: { ...DEMO_CREDENTIALS.creditSend, ...(ttlSeconds && { ttlSeconds }) } },
  });

/** Sends one credit at local time START + `afterMs`. */
async function sendAt(client: ReturnType<typeof demoClient>, afterMs: number) {
  vi.setSystemTime(START + afterMs);
  await client.creditSend.send({ user: 11, credits: 1 });
}

describe('a credit-send login session', () => {
  it('logs in once and reuses the token while it is fresh', async () => {
    const logins = countRequests(server, LOGIN);
    const client = loginClient();
    await sendAt(client, 0);
    await sendAt(client, 1_000);
    await sendAt(client, 60_000);
    expect(logins()).toBe(1);
  });

  it.each([
    // A one-hour token: renewed a minute before it expires.
    [3600, 3_540_000],
    // A one-minute token: a minute early would be at once, so renewed at half its life.
    [60, 30_000],
  ])(
    'with ttlSeconds %i, renews the token %i ms after the login, before sending',
    async (ttl, renewAfter) => {
      const logins = countRequests(server, LOGIN);
      const sends = countRequests(server, SEND);
      const client = loginClient(ttl === 3600 ? undefined : ttl);
      await sendAt(client, 0);
      await sendAt(client, renewAfter - 1);
      expect(logins()).toBe(1);
      await sendAt(client, renewAfter);
      expect(logins()).toBe(2);
      // Renewed ahead of the call, not after a 401 (which would have sent the transfer twice).
      expect(sends()).toBe(3);
      await sendAt(client, renewAfter + 1);
      expect(logins()).toBe(2);
    },
  );

  it.each([
    ['a token alone', {}],
    ['a token with a stray email', { email: 'ada@example.com' }],
    ['a token with a stray secret', { secret: 's3cret-ada' }],
  ])('given %s, sends that token and never logs in', async (_, extra) => {
    const { token } = (await loginClient().creditSend.login({ ...DEMO_CREDENTIALS.creditSend, ttl: '600' }))
      .data;
    const logins = countRequests(server, LOGIN);
    const seen: (string | null)[] = [];
    server.events.on('request:start', ({ request }) => {
      if (new URL(request.url).pathname === SEND) seen.push(request.headers.get('token'));
    });
    const client = createClient({
      baseUrl: 'http://localhost:4010',
      credentials: { creditSend: { token, ...extra } as { token: string } },
    });
    await expect(client.creditSend.send({ user: 11, credits: 1 })).resolves.toMatchObject({
      data: { your_new_balance: expect.any(Number) },
    });
    expect(logins()).toBe(0);
    expect(seen).toEqual([token]);
  });

  it('refuses a login answer without a token instead of sending "undefined" as one', async () => {
    server.use(http.post(`http://localhost:4010${LOGIN}`, () => HttpResponse.json({ data: {} })));
    const sends = countRequests(server, SEND);
    const pending = loginClient().creditSend.send({ user: 11, credits: 1 });
    await expect(pending).rejects.toThrow(new TypeError('The login answer carries no token.'));
    expect(sends()).toBe(0);
  });
});
