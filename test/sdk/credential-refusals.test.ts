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
