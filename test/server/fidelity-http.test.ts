import { describe, expect, it } from 'vitest';
import { request, startServer } from './support.js';

// The fidelity audit's new and corrected answers over real HTTP: the Prism proxy suite re-runs this file through
// `prism proxy openapi.yaml`, so each answer is also checked against the spec by a tool we did not write.

describe('fidelity-audit endpoints over HTTP', () => {
  it('white-label login: Login successful. with the token, 401 Invalid credentials., 422 naming the field', async () => {
    const { url } = await startServer();
    const ok = await request(url, 'POST', '/api/white-label/login', {
      bearer: 'wl_admin_demo',
      json: { email: 'user@example.com', password: 'userpassword123', token_name: 'Mobile App' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      message: 'Login successful.',
      user: { id: 123 },
      token_name: 'Mobile App',
    });
    const me = await request(url, 'GET', '/api/user/me', { bearer: ok.body.token });
    expect(me.body).toMatchObject({ name: 'John Doe' });
    const wrong = await request(url, 'POST', '/api/white-label/login', {
      bearer: 'wl_admin_demo',
      json: { email: 'user@example.com', password: 'not the password' },
    });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'Invalid credentials.' } });
    const missing = await request(url, 'POST', '/api/white-label/login', {
      bearer: 'wl_admin_demo',
      json: { email: 'user@example.com' },
    });
    expect(missing.status).toBe(422);
    const token = await request(url, 'POST', '/api/white-label/token', {
      bearer: 'wl_admin_credits_demo',
      json: { user_id: 123 },
    });
    expect(token.body).toMatchObject({ user: { id: 123 }, token_name: 'api-token' });
  });

  it('credit-send login by user code and without ttl; the WRONG USER body', async () => {
    const { url } = await startServer();
    const byCode = await request(url, 'POST', '/user/login', {
      json: { email: '11044930961', secret: 's3cret-alan', ttl: '3600' },
    });
    expect(byCode.status).toBe(200);
    expect(byCode.body.data).toMatchObject({ id: 374862, cf: 11044930961, ttl: '3600' });
    expect(Number.isInteger(byCode.body.data.issued)).toBe(true);
    const noTtl = await request(url, 'POST', '/user/login', {
      json: { email: 'ada@example.com', secret: 's3cret-ada' },
    });
    expect(noTtl.body.data).not.toHaveProperty('issued');
    const unknown = await request(url, 'POST', '/user/login', {
      json: { email: 'nobody@example.com', secret: 'x', ttl: '60' },
      direct: true, // a 501: Prism's proxy would answer its own mock instead
    });
    expect(unknown).toMatchObject({
      status: 501,
      body: { error: { code: '5_topi_invalidi', details: 'This email is not valid.' } },
    });
  });

  it('billing problems carry code and instance', async () => {
    const { url } = await startServer();
    const res = await request(url, 'POST', '/api/v1/billing/wallet/credit', {
      bearer: 'flowyte_sk_test_readonly',
      json: { amountUsd: 1, reason: 'goodwill' },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      type: 'about:blank',
      code: 'forbidden',
      instance: '/api/v1/billing/wallet/credit',
    });
  });
});
