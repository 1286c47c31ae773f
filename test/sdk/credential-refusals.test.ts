import { afterEach, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../src/index.js';
import { countRequests, DEMO_CREDENTIALS, demoClient, useReferenceServer } from './support.js';

const { server, app } = await useReferenceServer();

afterEach(() => {
  server.events.removeAllListeners();
});

describe('a 401 answer', () => {
  it('to a fixed API key: AuthenticationError after one request, the key is not sent again', async () => {
    const sent = countRequests(server, '/api/v1/reseller/organizations');
    const client = demoClient({ credentials: { reseller: { apiKey: 'rs_not_a_key' } } });
    await expect(client.reseller.listOrganizations()).rejects.toBeInstanceOf(AuthenticationError);
    expect(sent()).toBe(1);
  });

  it('again after a fresh login: final, after one new login and one repeat of the call', async () => {
    app.faults.add({ path: '/credits/send', kind: 'status', status: 401 });
    const logins = countRequests(server, '/user/login');
    const sends = countRequests(server, '/credits/send');
    const client = demoClient({ credentials: { creditSend: DEMO_CREDENTIALS.creditSend } });
    await expect(client.creditSend.send({ user: 11, credits: 1 })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    expect([logins(), sends()]).toEqual([2, 2]);
  });

  it('to the login call itself: no second login, even for a client that logs in', async () => {
    app.faults.add({ path: '/user/login', kind: 'status', status: 401, times: 1 });
    const logins = countRequests(server, '/user/login');
    const client = demoClient({ credentials: { creditSend: DEMO_CREDENTIALS.creditSend } });
    await expect(
      client.creditSend.login({ ...DEMO_CREDENTIALS.creditSend, ttl: '60' }),
    ).rejects.toBeInstanceOf(AuthenticationError);
    expect(logins()).toBe(1);
  });
});
