import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ADA, books, invalid, login, send, specIssues, tokenOf } from '../mock/credit-send-support.js';
import { demoApp } from '../mock/support.js';

// docs/fidelity.md, credit-send rows marked "implemented": each documented request of
// docs.public-api.timesafe.io sent as the page shows it, and the documented answer checked.

const NOW_SECONDS = Date.parse('2025-06-01T12:00:00Z') / 1000;

describe('api/credits (seed page): Send credits', () => {
  it('"200 Crediti inviati con successo": sender 100, recipient 0, 2 credits -> 97 and 2', async () => {
    const app = demoApp();
    const token = await tokenOf(app, ADA);
    const res = await send(app, token, { user: 11, credits: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'OK', data: { your_new_balance: 97, user_new_balance: 2 } });
    expect(specIssues('sendCredits', res)).toEqual([]);
  });

  it.each([
    [
      'CREDITI INSUFFICIENTI',
      { user: 11, credits: 100 },
      "You don't have enough credits to perform this action.",
    ],
    [
      'UTENTE NON ESISTENTE O PARTE DI ALTRA ORGANIZZAZIONE',
      { user: 20, credits: 1 },
      'This user does not exists or you do not have the permission to use it.',
    ],
  ])('"501 Problemi di invio", %s', async (_, json, details) => {
    const app = demoApp();
    const token = await tokenOf(app, ADA);
    const before = books(app);
    const res = await send(app, token, json);
    expect(res.status).toBe(501);
    expect(res.body).toEqual(invalid(details));
    expect(books(app)).toEqual(before);
  });
});

describe('api/user/login', () => {
  it('"200": `status` OK, `data` with id, cf, email, sandbox, USER_LOGGED, ttl, issued (Unix seconds), token', async () => {
    const res = await login(demoApp(), { ...ADA, ttl: 'one-time' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'OK',
      data: {
        id: 10,
        cf: 'ADA0000010',
        email: 'ada@example.com',
        sandbox: true,
        status: 'USER_LOGGED',
        ttl: 'one-time',
        issued: NOW_SECONDS,
        token: expect.any(String),
      },
    });
    expect(Object.keys(res.body.data)).toEqual([
      'id',
      'cf',
      'email',
      'sandbox',
      'status',
      'ttl',
      'issued',
      'token',
    ]);
    expect(specIssues('login', res)).toEqual([]);
  });

  it('`email`: "email o codice identificativo dell\'utente" logs the example user in by its code', async () => {
    const app = demoApp();
    const res = await login(app, { email: '11044930961', secret: 's3cret-alan', ttl: '3600' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: 374862,
      cf: 11044930961,
      email: 'alan@timesafe.io',
      sandbox: true,
    });
    const byEmail = await login(app, { email: 'alan@timesafe.io', secret: 's3cret-alan', ttl: '3600' });
    expect(byEmail.body.data.id).toBe(374862);
  });

  it('"i campi TTL e issued esistono solo se si è specificato in fase di login un TTL": without ttl, neither', async () => {
    const app = demoApp();
    const res = await login(app, ADA);
    expect(res.status).toBe(200);
    expect(res.body.data).not.toHaveProperty('ttl');
    expect(res.body.data).not.toHaveProperty('issued');
    expect(decodeJwt(res.body.data.token).exp).toBeUndefined();
    // Neither expiring nor single-use: the token works twice, also after a day.
    app.world.ledger.clock.advance(86_400_000 * 2);
    expect((await send(app, res.body.data.token, { user: 11, credits: 1 })).status).toBe(200);
    expect((await send(app, res.body.data.token, { user: 11, credits: 1 })).status).toBe(200);
  });

  it.each([
    [
      'WRONG PASSWORD',
      { ...ADA, secret: 'wrong', ttl: '60' },
      { error: { code: 'Wrong password', details: 'Wrong password.' } },
    ],
    [
      'WRONG USER',
      { email: 'nobody@example.com', secret: 'x', ttl: '60' },
      invalid('This email is not valid.'),
    ],
    [
      'MISSING ARGUMENT',
      { secret: 'x', ttl: '60' },
      { error: { code: '3_asini_tristi', details: 'Missing argument email.' } },
    ],
  ])('"// %s" body, 501 as the family\'s documented refusals', async (_, json, body) => {
    const app = demoApp();
    const before = books(app);
    const res = await login(app, json);
    expect(res.status).toBe(501);
    expect(res.body).toEqual(body);
    expect(specIssues('login', res)).toEqual([]);
    expect(books(app)).toEqual(before);
  });
});
